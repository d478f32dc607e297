package session

import "github.com/typedsession/typedsession/runtime/codec"

// The width budget of a session's fields.
//
// A codec.Reader counts the elements the array and map headers it reads
// announce and refuses more than codec.MaxElements (codec.ErrTooWide), so
// that a few megabytes of input cannot make a decoder allocate hundreds.
// A bound view decodes its fields lazily, each when the request first uses
// it, so one decode of the record is spread over the request. The budget
// covers that whole decode: every field decoded from one record, whenever
// the request gets to it, reads with the Session's one Reader (Reset per
// field), whose count goes on from field to field. A record whose fields
// are each as wide as the budget allows therefore costs the budget once,
// not once per field: the fields read first decode, the one that goes past
// the budget and any after it read as absent with a warning, like any
// field that does not fit its type. No real session comes near the budget
// (it takes a quarter of a million elements at least).
//
// The count starts afresh with each record: the one Load reads, and the
// current record a merged save (merge.go) decodes replayed fields from,
// after which the loaded record's count goes on where it was.

// startRecord gives the fields decoded from the next record a budget of
// their own.
func (s *Session) startRecord() { s.fieldReader = codec.Reader{} }

// readerFor returns the Session's field Reader, reading b, with the
// elements counted for the record so far. The caller resets it to nil when
// done, so that it does not keep b.
func (s *Session) readerFor(b []byte) *codec.Reader {
	s.fieldReader.Reset(b)
	return &s.fieldReader
}
