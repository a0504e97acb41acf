package rtmp

import (
	"strings"

	"streamhive/media"
)

// reservedApps are application names an encoder may put in front of a
// stream name because its software insists on an application: Flussonic
// discards "static" (and, in its older documentation, "rtmp"); "live" is
// what ffmpeg and OBS examples use everywhere, and this server's own URLs.
var reservedApps = []string{"static", "live", "rtmp"}

// StreamNames returns the stream names an encoder's connect app and
// publish key can mean, most specific first. Flussonic joins the app and
// the key, so rtmp://HOST/client15 with key published1 and
// rtmp://HOST/client15/published1 both publish client15/published1; when
// the first part is a reserved application, the name without it comes
// second (a stream configured as static/NAME still takes the first).
//
//	app                 key                 names
//	live                cam1                live/cam1, cam1   (ffmpeg, OBS)
//	live/cam1           ""                  live/cam1, cam1   (gortmplib: the whole path as app)
//	cam1                cam1                cam1              (ffmpeg's rtmp://HOST/cam1)
//	cam1?password=X     ""                  cam1              (OBS: server URL with a query, no key)
//	client15            published1?token=T  client15/published1
//
// Query strings (password=, token=) are cut off both parts: they are
// credentials, read from PublishInfo, not part of a name. No names at all
// means the publisher named no stream.
func StreamNames(app, key string) []media.StreamName {
	app = strings.Trim(cutQuery(app), "/")
	key = strings.Trim(cutQuery(key), "/")
	joined := app + "/" + key
	switch {
	case key == "" || key == app:
		joined = app
	case app == "":
		joined = key
	}
	if joined == "" {
		return nil
	}
	names := []media.StreamName{media.StreamName(joined)}
	for _, r := range reservedApps {
		if rest, ok := strings.CutPrefix(joined, r+"/"); ok && rest != "" {
			names = append(names, media.StreamName(rest))
		}
	}
	return names
}

// Resolver is implemented by Hooks that know which streams exist: of the
// names StreamNames offers, Resolve returns the one to publish to. Without
// a Resolver the server takes the last one (a reserved application
// discarded), so rtmp://HOST/live/NAME publishes NAME.
type Resolver interface {
	Resolve(names []media.StreamName) media.StreamName
}

// resolve picks the stream a publisher means, "" when it named none.
func resolve(hooks Hooks, names []media.StreamName) media.StreamName {
	if len(names) == 0 {
		return ""
	}
	if r, ok := hooks.(Resolver); ok {
		return r.Resolve(names)
	}
	return names[len(names)-1]
}

func cutQuery(s string) string {
	s, _, _ = strings.Cut(s, "?")
	return s
}
