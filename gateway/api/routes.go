package api

import (
	"strings"

	"github.com/valyala/fasthttp"
)

// fasthttp has no router, and the API has a dozen fixed routes whose only
// variable part is a name that may itself contain slashes (`live/bunny`):
// a switch on the first path segment reads more plainly than a pattern
// router would, costs nothing, and needs no dependency.

// handler serves one operation; name is the route's {name}, already
// copied out of the request.
type handler func(a *API, rc *fasthttp.RequestCtx, r *request)

// request is what a handler knows beyond the RequestCtx.
type request struct {
	name string
	who  access
	snap *snapshot
}

// op is one method on one route.
type op struct {
	need    access // accessNone: public (the probes)
	handle  handler
	metrics *opMetrics
}

// route is one path pattern and the operations it allows.
type route struct {
	pattern string
	ops     map[string]*op // by method
	allow   string         // the Allow header of a 405
	other   *opMetrics     // requests with a method the route lacks
}

func newRoute(pattern string, ops map[string]handler) *route {
	r := &route{pattern: pattern, ops: make(map[string]*op), other: newOpMetrics(pattern, "other")}
	var allow []string
	for _, m := range []string{fasthttp.MethodGet, fasthttp.MethodPut, fasthttp.MethodPost, fasthttp.MethodDelete} {
		h, ok := ops[m]
		if !ok {
			continue
		}
		need := accessEdit
		if m == fasthttp.MethodGet {
			need = accessView
		}
		if strings.HasPrefix(pattern, "/monitoring/") {
			need = accessNone
		}
		r.ops[m] = &op{need: need, handle: h, metrics: newOpMetrics(pattern, m)}
		allow = append(allow, m)
	}
	if _, ok := ops[fasthttp.MethodGet]; ok {
		allow = append(allow, fasthttp.MethodHead)
	}
	r.allow = strings.Join(allow, ", ")
	return r
}

// The route table. Built once per process: it registers the metrics.
var (
	routeStreams = newRoute("/streams", map[string]handler{fasthttp.MethodGet: (*API).listStreams})
	routeStream  = newRoute("/streams/{name}", map[string]handler{
		fasthttp.MethodGet: (*API).getStream, fasthttp.MethodPut: (*API).putStream, fasthttp.MethodDelete: (*API).deleteStream,
	})
	routeStreamStop = newRoute("/streams/{name}/stop", map[string]handler{fasthttp.MethodPost: (*API).stopStream})
	routeTemplates  = newRoute("/templates", map[string]handler{fasthttp.MethodGet: (*API).listTemplates})
	routeTemplate   = newRoute("/templates/{name}", map[string]handler{
		fasthttp.MethodGet: (*API).getTemplate, fasthttp.MethodPut: (*API).putTemplate, fasthttp.MethodDelete: (*API).deleteTemplate,
	})
	routeDVRs = newRoute("/dvrs", map[string]handler{fasthttp.MethodGet: (*API).listDVRsWithDisks})
	routeDVR  = newRoute("/dvrs/{name}", map[string]handler{
		fasthttp.MethodGet: (*API).getDVRWithDisks, fasthttp.MethodPut: (*API).putDVR, fasthttp.MethodDelete: (*API).deleteDVR,
	})
	routeVODs       = newRoute("/vods", map[string]handler{fasthttp.MethodGet: (*API).listVODs})
	routeVODsOpened = newRoute("/vods/opened_files", map[string]handler{fasthttp.MethodGet: (*API).listOpenedVODFiles})
	routeVOD        = newRoute("/vods/{prefix}", map[string]handler{
		fasthttp.MethodGet: (*API).getVOD, fasthttp.MethodPut: (*API).putVOD, fasthttp.MethodDelete: (*API).deleteVOD,
	})
	routeVODFiles = newRoute("/vods/{prefix}/storages/{storage_index}/files", map[string]handler{fasthttp.MethodGet: (*API).listVODFiles})
	routeVODFile  = newRoute("/vods/{prefix}/storages/{storage_index}/files/{subpath}", map[string]handler{
		fasthttp.MethodGet: (*API).getVODFile, fasthttp.MethodPut: (*API).putVODFile, fasthttp.MethodDelete: (*API).deleteVODFile,
	})
	routeSessions      = newRoute("/sessions", map[string]handler{fasthttp.MethodGet: (*API).listSessions})
	routeSessionReauth = newRoute("/sessions/reauth", map[string]handler{fasthttp.MethodPost: (*API).reauthSessions})
	routeSession       = newRoute("/sessions/{id}", map[string]handler{
		fasthttp.MethodGet: (*API).getSession, fasthttp.MethodDelete: (*API).deleteSession,
	})
	routeAuthBackends = newRoute("/auth_backends", map[string]handler{fasthttp.MethodGet: (*API).listAuthBackends})
	routeAuthBackend  = newRoute("/auth_backends/{name}", map[string]handler{
		fasthttp.MethodGet: (*API).getAuthBackend, fasthttp.MethodPut: (*API).putAuthBackend,
		fasthttp.MethodDelete: (*API).deleteAuthBackend,
	})
	routePeers = newRoute("/cluster/peers", map[string]handler{fasthttp.MethodGet: (*API).listPeers})
	routePeer  = newRoute("/cluster/peers/{hostname}", map[string]handler{
		fasthttp.MethodGet: (*API).getPeer, fasthttp.MethodPut: (*API).putPeer, fasthttp.MethodDelete: (*API).deletePeer,
	})
	routeSources = newRoute("/cluster/sources", map[string]handler{fasthttp.MethodGet: (*API).listSources})
	routeSource  = newRoute("/cluster/sources/{url}", map[string]handler{
		fasthttp.MethodGet: (*API).getSource, fasthttp.MethodPut: (*API).putSource, fasthttp.MethodDelete: (*API).deleteSource,
	})
	routeEventSinks = newRoute("/event_sinks", map[string]handler{fasthttp.MethodGet: (*API).listEventSinks})
	routeEventSink  = newRoute("/event_sinks/{name}", map[string]handler{
		fasthttp.MethodGet: (*API).getEventSink, fasthttp.MethodPut: (*API).putEventSink,
		fasthttp.MethodDelete: (*API).deleteEventSink,
	})
	routeEvents       = newRoute("/events", map[string]handler{fasthttp.MethodGet: (*API).listEvents})
	routeAlerts       = newRoute("/alerts", map[string]handler{fasthttp.MethodGet: (*API).listAlerts})
	routeInputHistory = newRoute("/input_history/{name}", map[string]handler{fasthttp.MethodGet: (*API).getInputHistory})
	routeConfig       = newRoute("/config", map[string]handler{
		fasthttp.MethodGet: (*API).getConfig, fasthttp.MethodPut: (*API).putConfig, fasthttp.MethodPost: (*API).validateConfig,
	})
	routeConfigStats = newRoute("/config/stats", map[string]handler{fasthttp.MethodGet: (*API).getConfigStats})
	routeLiveness    = newRoute("/monitoring/liveness", map[string]handler{fasthttp.MethodGet: (*API).liveness})
	routeReadiness   = newRoute("/monitoring/readiness", map[string]handler{fasthttp.MethodGet: (*API).readiness})

	// unmatched counts requests to API paths that match no route.
	unmatched = newOpMetrics("unmatched", "other")
)

// match finds the route of path (the part after the API prefix) and its
// {name}. A stream named `x/stop` is reachable by every method but POST,
// which always means the stop operation.
func match(method, path string) (*route, string) {
	seg, rest, _ := strings.Cut(path, "/")
	switch seg {
	case "streams":
		if rest == "" {
			return routeStreams, ""
		}
		if name, ok := strings.CutSuffix(rest, "/stop"); ok && method == fasthttp.MethodPost && name != "" {
			return routeStreamStop, name
		}
		if name, ok := matchInputSelect(method, rest); ok {
			return routeInputSelect, name
		}
		if rt, name, ok := matchDVR(method, rest); ok {
			return rt, name
		}
		return routeStream, rest
	case "templates":
		if rest == "" {
			return routeTemplates, ""
		}
		return routeTemplate, rest
	case "dvrs":
		if rest == "" {
			return routeDVRs, ""
		}
		return routeDVR, rest
	case "vods":
		return matchVODs(rest)
	case "sessions":
		switch {
		case rest == "":
			return routeSessions, ""
		case rest == "reauth" && method == fasthttp.MethodPost:
			return routeSessionReauth, ""
		}
		return routeSession, rest
	case "auth_backends":
		if rest == "" {
			return routeAuthBackends, ""
		}
		return routeAuthBackend, rest
	case "cluster":
		return matchCluster(rest)
	case "events", "alerts":
		if rest == "" {
			return map[string]*route{"events": routeEvents, "alerts": routeAlerts}[seg], ""
		}
	case "input_history":
		if rest != "" {
			return routeInputHistory, rest
		}
	case "event_sinks":
		if rest == "" {
			return routeEventSinks, ""
		}
		return routeEventSink, rest
	case "config":
		switch rest {
		case "":
			return routeConfig, ""
		case "stats":
			return routeConfigStats, ""
		}
	case "monitoring":
		switch rest {
		case "liveness":
			return routeLiveness, ""
		case "readiness":
			return routeReadiness, ""
		}
	}
	return nil, ""
}

// matchVODs finds a /vods route: a prefix is one path element, so what
// follows it is the storages' files.
func matchVODs(rest string) (*route, string) {
	prefix, tail, _ := strings.Cut(rest, "/")
	switch {
	case rest == "":
		return routeVODs, ""
	case rest == "opened_files":
		return routeVODsOpened, ""
	case tail == "":
		return routeVOD, prefix
	}
	parts := strings.SplitN(tail, "/", 4) // storages, N, files, subpath
	if len(parts) < 3 || parts[0] != "storages" || parts[2] != "files" {
		return nil, ""
	}
	if len(parts) == 3 || parts[3] == "" {
		return routeVODFiles, rest
	}
	return routeVODFile, rest
}
