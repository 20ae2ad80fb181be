package node

import (
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzParseJWTSecret: the admin secret file's decoder accepts exactly 32
// bytes of hex (0x and surrounding space allowed) and never panics.
func FuzzParseJWTSecret(f *testing.F) {
	f.Add("0x" + strings.Repeat("ab", 32))
	f.Add(strings.Repeat("01", 32) + "\n")
	f.Add("0x1234")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseJWTSecret(s)
		if err != nil {
			return
		}
		if len(b) != 32 {
			t.Fatalf("accepted a %d-byte secret", len(b))
		}
		want := strings.TrimPrefix(strings.TrimSpace(s), "0x")
		if !strings.EqualFold(hex.EncodeToString(b), want) {
			t.Fatalf("secret %x from %q", b, s)
		}
	})
}
