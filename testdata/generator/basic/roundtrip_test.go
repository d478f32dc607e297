package basic

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/testdata/generator/basic/ext"
)

// opts compares Visitors: unexported and untagged-out fields are not
// stored, and Stamp is a time.
var opts = cmp.Options{
	cmpopts.IgnoreUnexported(Visitor{}, CartLine{}),
	cmpopts.IgnoreFields(Visitor{}, "Skip"),
	cmpopts.IgnoreFields(CartLine{}, "Hide"),
	cmp.Comparer(func(a, b Stamp) bool { return time.Time(a).Equal(time.Time(b)) }),
}

func strPtr(s string) **string { p := &s; return &p }

// values exercises every supported type: a full value with non-ASCII
// strings, the zero value, and one with empty (non-nil) slices and maps.
func values() map[string]Visitor {
	ll := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC)
	full := Visitor{
		UserID: -9007199254740993, Name: "Zoë 日本 🍵", Roles: []string{"admin", "", "ünïcode"},
		Cart: []CartLine{
			{SKU: "tea-1", Qty: 2, Price: 4.5, Tags: []string{"hot"}},
			{SKU: "mug", Qty: -1, Price: 0, Tags: nil},
			{SKU: "", Qty: 1 << 40, Price: -1e300, Tags: []string{}},
		},
		Prefs:     map[string]string{"lang": "fr", "": "empty key", "ключ": "значение"},
		LastLogin: ll,
		Theme:     &Theme{Name: "dark", Dark: true, Extra: map[string]int{"size": 3}},
		Flag:      true, I: -1, I8: -128, I16: 32767, I32: -2147483648,
		U: 1 << 63, U8: 255, U16: 65535, U32: 4294967295, U64: 18446744073709551615,
		F32: 3.25, F64: -0.1,
		Raw: []byte{0, 1, 2, 255}, Timeout: 90 * time.Second, Role: "owner",
		Stamp: Stamp(ll.Add(time.Hour)), Token: Token("tok\x00en"),
		Digest: [4]byte{1, 2, 3, 4}, Grid: [2][2]int{{1, 2}, {3, 4}},
		Counts: map[int64]uint16{-5: 1, 0: 2, 7: 65535},
		ByID:   map[uint32]*Theme{1: {Name: "a"}, 2: nil},
		Nested: map[string][]CartLine{"saved": {{SKU: "x"}}, "none": nil},
		PtrPtr: strPtr("deep"),
		Lines:  [2]CartLine{{SKU: "l1"}, {SKU: "l2", Tags: []string{"t"}}},
		Money:  ext.Money{Units: 1250, Cur: "EUR"}, Alias: Alias{"a", "b"}, ExtAlias: 99,
		Tree:  &Node{Value: 1, Children: []*Node{{Value: 2}, {Value: 3, Next: &Node{Value: 4}}}},
		NoTag: "no tag", Level: 7,
	}
	empty := Visitor{
		Roles: []string{}, Cart: []CartLine{}, Prefs: map[string]string{}, Raw: []byte{},
		Token: Token{}, Counts: map[int64]uint16{}, ByID: map[uint32]*Theme{},
		Nested: map[string][]CartLine{}, Alias: Alias{}, Theme: &Theme{}, Tree: &Node{Children: []*Node{}},
	}
	return map[string]Visitor{"full": full, "zero": {}, "empty": empty}
}

// zeroTime is what a zero time.Time decodes to: the same instant, in UTC.
func normalize(v Visitor) Visitor {
	v.LastLogin = v.LastLogin.UTC()
	return v
}

func TestRoundTripMsgpack(t *testing.T) {
	for name, in := range values() {
		t.Run(name, func(t *testing.T) {
			data, err := in.MarshalMsgpack()
			if err != nil {
				t.Fatal(err)
			}
			var out Visitor
			out.Name = "stale" // decoding replaces the whole value
			if err := out.UnmarshalMsgpack(data); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(normalize(in), out, opts); diff != "" {
				t.Errorf("round trip (-in +out):\n%s", diff)
			}
			if out.LastLogin.Location() != time.UTC {
				t.Errorf("LastLogin location %v, want UTC", out.LastLogin.Location())
			}
			// msgpack's reflection path finds the generated methods too.
			var viaReflect Visitor
			if err := msgpack.Unmarshal(data, &viaReflect); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(out, viaReflect, opts); diff != "" {
				t.Errorf("msgpack.Unmarshal differs (-generated +reflect):\n%s", diff)
			}
		})
	}
}

func TestDeterministicEncoding(t *testing.T) {
	in := values()["full"]
	first, err := in.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		again, err := in.MarshalMsgpack()
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(first) {
			t.Fatalf("encoding %d differs from the first: map order leaked into the output", i)
		}
	}
}

// TestRoundTripEnvelope goes through the runtime's envelope, which uses
// the view's fields (codec.Fields).
func TestRoundTripEnvelope(t *testing.T) {
	for name, in := range values() {
		t.Run(name, func(t *testing.T) {
			src, srcFields := bound(t)
			src.Update(func(v *Visitor) { *v = in })
			payload, err := codec.Encode(nil, &codec.Meta{}, srcFields, nil)
			if err != nil {
				t.Fatal(err)
			}
			dst, dstFields := bound(t)
			if _, err := codec.Decode(payload, dstFields, func(key string, err error) { t.Errorf("field %s dropped: %v", key, err) }); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(normalize(in), dst.Values(), opts); diff != "" {
				t.Errorf("round trip (-in +out):\n%s", diff)
			}
			if diff := cmp.Diff(srcFields.AppendFieldKeys(nil), dstFields.AppendFieldKeys(nil)); diff != "" {
				t.Errorf("present keys (-sent +received):\n%s", diff)
			}
		})
	}
}
