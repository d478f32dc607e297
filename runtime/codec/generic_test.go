package codec_test

import (
	"bytes"
	"errors"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// cart is a composite value written and read with the generic helpers the
// way generated code does.
type cart struct {
	Lines  []line
	Counts map[string]int64
	Owner  *string
}

type line struct {
	SKU string
	Qty int64
}

func appendLine(w *codec.Writer, l line) {
	w.MapLen(2)
	w.Key("sku")
	w.Str(l.SKU)
	w.Key("qty")
	w.Int(l.Qty)
}

func readLine(r *codec.Reader, depth int) (l line) {
	for range r.MapLen(depth) {
		switch string(r.Key()) {
		case "sku":
			l.SKU = r.Str()
		case "qty":
			l.Qty = r.Int()
		default:
			r.Skip(depth + 1)
		}
	}
	return l
}

func appendCart(w *codec.Writer, c cart) {
	w.MapLen(3)
	w.Key("lines")
	codec.AppendSlice(w, c.Lines, appendLine)
	w.Key("counts")
	codec.AppendMap(w, c.Counts, (*codec.Writer).Str, (*codec.Writer).Int)
	w.Key("owner")
	codec.AppendPtr(w, c.Owner, (*codec.Writer).Str)
}

func readCart(r *codec.Reader, depth int) (c cart) {
	for range r.MapLen(depth) {
		switch string(r.Key()) {
		case "lines":
			c.Lines = codec.ReadSlice(r, depth+1, readLine)
		case "counts":
			c.Counts = codec.ReadMap(r, depth+1, (*codec.Reader).Str, func(r *codec.Reader, _ int) int64 { return r.Int() })
		case "owner":
			c.Owner = codec.ReadPtr(r, depth+1, func(r *codec.Reader, _ int) string { return r.Str() })
		default:
			r.Skip(depth + 1)
		}
	}
	return c
}

func TestGenericRoundTrip(t *testing.T) {
	ada := "ada"
	many := map[string]int64{}
	for _, k := range []string{"k", "b", "z", "a", "q", "c", "y", "d", "x", "e"} { // more than AppendMap sorts on the stack
		many[k] = int64(len(many))
	}
	lots := map[string]int64{} // more than AppendMap sorts by insertion
	for i := range 40 {
		lots[strconv.Itoa(i*7919%1000)] = int64(i - 20)
	}
	for _, c := range []cart{
		{},
		{Lines: []line{}, Counts: map[string]int64{}, Owner: new(string)},
		{Lines: []line{{"A-1", 2}, {"B-2", -1}}, Counts: map[string]int64{"/": 3, "/cart": 1}, Owner: &ada},
		{Counts: many},
		{Counts: lots},
	} {
		w := codec.NewWriter(nil)
		appendCart(&w, c)
		r := codec.NewReader(w.Bytes())
		got := readCart(&r, 0)
		if err := r.Done(); err != nil {
			t.Fatalf("reading % x: %v", w.Bytes(), err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("round trip changed the cart (-want +got):\n%s", diff)
		}
		if c.Counts != nil {
			w := codec.NewWriter(nil)
			codec.AppendMap(&w, c.Counts, (*codec.Writer).Str, (*codec.Writer).Int)
			if diff := cmp.Diff(sortedMap(t, c.Counts), w.Bytes()); diff != "" {
				t.Errorf("AppendMap differs from msgpack/v5's encoding by sorted keys (-v5 +Writer):\n%s", diff)
			}
		}
	}
}

// sortedMap is m as generated code wrote it with msgpack/v5 before Writer:
// the entries by sorted keys, each integer as compact as it can be.
func sortedMap(t *testing.T, m map[string]int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	err := enc.EncodeMapLen(len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		err = errors.Join(err, enc.EncodeString(k), enc.EncodeInt(m[k]))
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGenericNilAndErrors(t *testing.T) {
	readInts := func(r *codec.Reader) []int64 {
		return codec.ReadSlice(r, 0, func(r *codec.Reader, _ int) int64 { return r.Int() })
	}
	tests := []struct {
		name string
		data []byte
		want []int64
		err  error
	}{
		{"nil", []byte{0xc0}, nil, nil},
		{"empty", []byte{0x90}, []int64{}, nil},
		{"two", []byte{0x92, 0x01, 0xff}, []int64{1, -1}, nil},
		{"bad element", []byte{0x92, 0x01, 0xa0}, nil, codec.ErrMalformed},
		{"longer than the input", []byte{0xdc, 0xff, 0xff, 0x01}, nil, codec.ErrMalformed},
		{"not an array", []byte{0x80}, nil, codec.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := codec.NewReader(tt.data)
			got := readInts(&r)
			if err := r.Done(); !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || (got == nil) != (tt.want == nil) {
				t.Fatalf("ReadSlice = %#v, want %#v", got, tt.want)
			}
		})
	}
}

// tree is a recursive type, decoded as generated code decodes one: the
// depth goes down with each level.
type tree struct{ Kids []tree }

func readTree(r *codec.Reader, depth int) tree {
	return tree{Kids: codec.ReadSlice(r, depth, readTree)}
}

func TestGenericDepth(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"at the limit", nested(codec.MaxDepth-1, []byte{0x90}), nil},
		{"past the limit", nested(codec.MaxDepth, []byte{0x90}), codec.ErrTooDeep},
		{"hostile: millions of levels", nested(hostile, []byte{0x90}), codec.ErrTooDeep},
		{"wide and deep", append([]byte{0x92, 0x90}, nested(codec.MaxDepth, []byte{0x90})...), codec.ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := codec.NewReader(tt.data)
			got := readTree(&r, 0)
			err := r.Done()
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err != nil && got.Kids != nil {
				t.Fatalf("a failed decode returned %d kids", len(got.Kids))
			}
		})
	}
}
