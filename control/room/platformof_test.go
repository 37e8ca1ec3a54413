package room

import "testing"

// TestPlatformOfUID: the panel's bare uid is on the platform the
// directory saw it on, when that is one platform; on two, or none, it is
// on no platform known.
func TestPlatformOfUID(t *testing.T) {
	d := NewDirectory(8)
	d.Seen("b", viewer("1"))
	d.Seen("b", viewer("2"))
	d.Seen("d", viewer("2"))
	d.Seen("", viewer("3"))
	d.Seen("d", viewer("3"))
	for in, want := range map[string]string{"1": "b", "１": "b", "2": "", "3": "", "4": "", "v2": "d"} {
		if got := d.PlatformOf(in); got != want {
			t.Errorf("PlatformOf(%q) = %q, want %q", in, got, want)
		}
	}
}
