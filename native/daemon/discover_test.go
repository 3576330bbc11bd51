package daemon

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A joining member finds itself in a running member's /members answer by
// its peer URLs, takes the ID the cluster gave it (which it could not
// compute: the time of `member add` is in it) and the others as peers.
func TestDiscoverFindsSelfByPeerURLs(t *testing.T) {
	joinURL := "http://127.0.0.1:1" // never dialled: it is our own
	list := []peerMember{
		{ID: 0xa1, Name: "m1", PeerURLs: []string{"PEER"}, ClientURLs: []string{"http://127.0.0.1:2379"}},
		{ID: 0x9f3c, PeerURLs: []string{joinURL}, IsLearner: true},
	}
	listed := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != membersPath {
			http.NotFound(w, r)
			return
		}
		w.Header().Set(clusterIDHeader, "5e3a")
		if listed {
			json.NewEncoder(w).Encode(list)
		} else {
			json.NewEncoder(w).Encode(list[:1])
		}
	}))
	defer srv.Close()
	list[0].PeerURLs = []string{srv.URL}
	cfg := Config{AdvertisePeerURLs: []string{joinURL},
		InitialCluster: map[string][]string{"m1": {srv.URL}, "m4": {joinURL}}}

	got, err := discover(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got.clusterID != 0x5e3a || got.selfID() != 0x9f3c || !got.self.IsLearner {
		t.Fatalf("discovered cluster %x, self %+v; want cluster 5e3a, self 9f3c (a learner)", got.clusterID, got.self)
	}
	if others := got.others(); len(others) != 1 || others[0].ID != 0xa1 || others[0].PeerURLs[0] != srv.URL {
		t.Fatalf("peers %+v, want m1 at %s", others, srv.URL)
	}

	listed = false // `member add` not applied yet: findSelf refuses, and says why
	d, err := askMembers(http.DefaultClient, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := findSelf(d, cfg.AdvertisePeerURLs); err == nil || !strings.Contains(err.Error(), "no member with peer URLs") {
		t.Fatalf("a list without this member: %v, want a refusal naming the peer URLs", err)
	}
}
