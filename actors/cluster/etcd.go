package cluster

import (
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/etcd"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// apiKindPrefix marks the cluster kind that carries a node's API URL
// through etcd: protoactor's etcd provider stores a member's host, port
// and kinds and nothing else, and a node needs the others' HTTP ports to
// probe them for the rest (name, captures, streams, load).
const apiKindPrefix = "streamhive-api="

// etcdProvider is protoactor's etcd provider under the cluster name.
func etcdProvider(endpoints []string) (cluster.ClusterProvider, error) {
	return etcd.NewWithConfig("/streamhive", clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second})
}

// apiKind is the kind that announces api; its actors are never spawned
// (nothing asks for a grain of it).
func apiKind(api string) *cluster.Kind {
	return cluster.NewKind(apiKindPrefix+api, actor.PropsFromFunc(func(actor.Context) {}))
}

// followTopology makes the prober's peers the members etcd lists, by their
// API URLs: with etcd, membership is etcd's and the probes only learn
// what else a member says of itself (View). It returns the unsubscribe.
func followTopology(sys *actor.ActorSystem, p *provider) func() {
	sub := sys.EventStream.Subscribe(func(evt any) {
		t, ok := evt.(*cluster.ClusterTopology)
		if !ok {
			return
		}
		var peers []Peer
		for _, m := range t.GetMembers() {
			for _, k := range m.GetKinds() {
				if api, ok := strings.CutPrefix(k, apiKindPrefix); ok {
					peers = append(peers, Peer{Name: strings.TrimPrefix(strings.TrimPrefix(api, "http://"), "https://"), URL: api})
				}
			}
		}
		p.SetPeers(peers)
	})
	return func() { sys.EventStream.Unsubscribe(sub) }
}
