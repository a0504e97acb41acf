package play

import (
	"fmt"
	"testing"
	"time"

	"streamhive/media/dvr/export/archivetest"
)

// benchArchiveHandler serves "b", an archive of an hour of the clip in
// 2 s records (1800 records), the size a catch-up playlist lists.
func benchArchiveHandler(b *testing.B) *Handler {
	b.Helper()
	a := archivetest.New()
	if err := a.Record(loadClip(b), nil, arcT0, time.Hour); err != nil {
		b.Fatal(err)
	}
	h := New(Options{Streams: arcStreams{"live/b": archivedStream{&fakeStream{}, a}}})
	b.Cleanup(h.Close)
	return h
}

// BenchmarkArchivePlaylist: a TS media playlist of a 10-minute range of
// the hour (300 records), rendered per request.
func BenchmarkArchivePlaylist(b *testing.B) {
	benchServe(b, benchArchiveHandler(b), fmt.Sprintf("/live/b/mono-%d-600.m3u8", arcT0.Unix()+600))
}

// BenchmarkArchivePlaylistHour: the whole hour (1800 records).
func BenchmarkArchivePlaylistHour(b *testing.B) {
	benchServe(b, benchArchiveHandler(b), fmt.Sprintf("/live/b/mono-%d-3600.m3u8", arcT0.Unix()))
}

// BenchmarkArchiveTimeshift: timeshift_rel-600's live playlist (6 records).
func BenchmarkArchiveTimeshift(b *testing.B) {
	benchServe(b, benchArchiveHandler(b), "/live/b/mono-timeshift_rel-600.m3u8")
}

// BenchmarkArchiveMPD: the DASH manifest of the 10-minute range.
func BenchmarkArchiveMPD(b *testing.B) {
	benchServe(b, benchArchiveHandler(b), fmt.Sprintf("/live/b/index-%d-600.mpd", arcT0.Unix()+600))
}
