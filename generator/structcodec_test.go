package generator

import (
	"bytes"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// TestKeyLit checks that the constant generated code writes for a key is
// the key as msgpack/v5 encodes a string, at the edges of each header size,
// and that it shows the key as it is.
func TestKeyLit(t *testing.T) {
	for _, key := range []string{"", "sku", "last_seen", "a\"b\\c\x00é",
		strings.Repeat("k", 31), strings.Repeat("k", 32), strings.Repeat("k", 255),
		strings.Repeat("k", 256), strings.Repeat("k", 65535), strings.Repeat("k", 65536)} {
		src := keyLit(key)
		tv, err := types.Eval(token.NewFileSet(), nil, token.NoPos, src)
		if err != nil || tv.Value == nil || tv.Value.Kind() != constant.String {
			t.Fatalf("keyLit(%.40q) = %.80s: not a string constant (%v)", key, src, err)
		}
		var want bytes.Buffer
		if err := msgpack.NewEncoder(&want).EncodeString(key); err != nil {
			t.Fatal(err)
		}
		if got := constant.StringVal(tv.Value); got != want.String() {
			t.Errorf("keyLit(%.40q) = %.80s, which is % .20x..., msgpack/v5 % .20x...", key, src, got, want.Bytes())
		}
		if len(key) < 32 && !strings.HasSuffix(src, `" + `+strconv.Quote(key)) {
			t.Errorf("keyLit(%q) = %s: the key is not spelled out at its end", key, src)
		}
	}
}
