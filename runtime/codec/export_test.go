package codec

// Skip lets the external tests call skipValue, which is unexported: only
// the envelope and DecodeRawValue need it.
var Skip = skipValue
