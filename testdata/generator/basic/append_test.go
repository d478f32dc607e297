package basic

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAppendMsgpack checks that AppendMsgpack appends to what b holds,
// leaving it as it was, the bytes MarshalMsgpack returns, and that they
// decode to the value encoded.
func TestAppendMsgpack(t *testing.T) {
	prefixes := map[string][]byte{
		"nil":        nil,
		"empty":      {},
		"prefix":     []byte("record:"),
		"spare room": append(make([]byte, 0, 4096), "v1|"...),
	}
	for name, in := range values() {
		want, err := in.MarshalMsgpack()
		if err != nil {
			t.Fatalf("%s: MarshalMsgpack: %v", name, err)
		}
		for pname, prefix := range prefixes {
			t.Run(name+"/"+pname, func(t *testing.T) {
				keep := bytes.Clone(prefix)
				got, err := in.AppendMsgpack(prefix)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got[:len(keep)], keep) {
					t.Errorf("prefix became %q, want %q", got[:len(keep)], keep)
				}
				if diff := cmp.Diff(want, got[len(keep):]); diff != "" {
					t.Errorf("appended bytes differ from MarshalMsgpack's (-marshal +append):\n%s", diff)
				}
				var out Visitor
				if err := out.UnmarshalMsgpack(got[len(keep):]); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(normalize(in), out, opts); diff != "" {
					t.Errorf("round trip (-in +out):\n%s", diff)
				}
			})
		}
	}
}

// TestAppendMsgpackReuse checks that a buffer reused from one call to the
// next (b[:0]) gets each value's bytes alone, with nothing of the last.
func TestAppendMsgpackReuse(t *testing.T) {
	vs := values()
	var buf []byte
	for _, name := range []string{"full", "zero", "empty", "full"} {
		in := vs[name]
		want, err := in.MarshalMsgpack()
		if err != nil {
			t.Fatal(err)
		}
		buf, err = in.AppendMsgpack(buf[:0])
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, buf); diff != "" {
			t.Errorf("%s into a reused buffer (-marshal +append):\n%s", name, diff)
		}
	}
}

// TestAppendMsgpackError checks that a field's failing encoder makes
// AppendMsgpack return its error with b as it was given, and
// MarshalMsgpack the error and no bytes.
func TestAppendMsgpackError(t *testing.T) {
	in := values()["full"]
	in.Level = -1 // Level's own encoder refuses it
	prefix := append(make([]byte, 0, 4096), "keep"...)
	got, err := in.AppendMsgpack(prefix)
	if err == nil {
		t.Fatal("AppendMsgpack succeeded; want the error of Level's encoder")
	}
	if string(got) != "keep" {
		t.Errorf("AppendMsgpack returned %q with its error, want b as given (%q)", got, "keep")
	}
	if data, err := in.MarshalMsgpack(); err == nil || data != nil {
		t.Errorf("MarshalMsgpack = %q, %v; want nil and the error of Level's encoder", data, err)
	}
}

// AppendMsgpack writes into a buffer the caller owns: here one reused for
// every record, each framed by a prefix.
func ExampleVisitor_AppendMsgpack() {
	buf := make([]byte, 0, 256)
	for _, v := range []Visitor{{UserID: 1}, {UserID: 2, Name: "Zoë"}} {
		var err error
		buf, err = v.AppendMsgpack(append(buf[:0], "rec:"...))
		if err != nil {
			fmt.Println(err)
			return
		}
		var out Visitor
		if err := out.UnmarshalMsgpack(buf[len("rec:"):]); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s %d %q\n", buf[:4], out.UserID, out.Name)
	}
	// Output:
	// rec: 1 ""
	// rec: 2 "Zoë"
}
