package storeurl

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/internal/redistest"
	"github.com/typedsession/typedsession/runtime/store/cachedstore"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// TestFailoverOptions checks what a Sentinel URL tells go-redis: which
// sentinels to ask, for which master, with which credentials where.
func TestFailoverOptions(t *testing.T) {
	type parsed struct {
		Sentinels                  []string
		Master                     string
		DB                         int
		SentinelUser, SentinelPass string
		User, Pass                 string
		TLSServerName              string // "" without TLS
		DialTimeout                time.Duration
	}
	tests := []struct {
		url  string
		want parsed
	}{
		{"redis+sentinel://s1?master_name=m",
			parsed{Sentinels: []string{"s1:26379"}, Master: "m"}},
		{"redis+sentinel://s1:26380/2?master_name=m&addr=s2:26379&addr=[::1]:26381",
			parsed{Sentinels: []string{"s1:26380", "s2:26379", "[::1]:26381"}, Master: "m", DB: 2}},
		{"redis+sentinel://[::1]?master_name=m&dial_timeout=3s",
			parsed{Sentinels: []string{"[::1]:26379"}, Master: "m", DialTimeout: 3 * time.Second}},
		{"rediss+sentinel://su:sp@s1?master_name=m&username=mu&password=mp",
			parsed{Sentinels: []string{"s1:26379"}, Master: "m", SentinelUser: "su", SentinelPass: "sp", User: "mu", Pass: "mp", TLSServerName: "s1"}},
		{"REDIS+SENTINEL://s1:1?master_name=m",
			parsed{Sentinels: []string{"s1:1"}, Master: "m"}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			o, err := failoverOptions(u)
			if err != nil {
				t.Fatal(err)
			}
			g := parsed{
				Sentinels: o.SentinelAddrs, Master: o.MasterName, DB: o.DB,
				SentinelUser: o.SentinelUsername, SentinelPass: o.SentinelPassword,
				User: o.Username, Pass: o.Password, DialTimeout: o.DialTimeout,
			}
			if o.TLSConfig != nil {
				g.TLSServerName = o.TLSConfig.ServerName
			}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOpenSentinelErrors checks that Sentinel URLs go-redis would accept,
// or panic on, but that cannot work fail with a message saying what to
// change. None reaches a server.
func TestOpenSentinelErrors(t *testing.T) {
	dead := deadAddr(t)
	// Without these, go-redis retries a dead sentinel for half a minute.
	const fast = "max_retries=-1&dialer_retries=1"
	tests := []struct {
		url, want string
	}{
		{"redis+sentinel://" + dead, "no master_name parameter: add master_name=<name>"},
		{"rediss+sentinel://:hunter2@" + dead + "/1?addr=" + dead, "add master_name=<name>"},
		{"REDIS+SENTINEL://" + dead + "?prefix=app:", "add master_name=<name>"},
		{"redis+sentinel://" + dead + "?master_name=", "add master_name=<name>"},
		{"redis+sentinel:" + dead + "?master_name=m", "want redis+sentinel://"},
		{"redis+sentinal://" + dead + "?master_name=m", "redis+sentinel, rediss, rediss+cluster, rediss+sentinel"},
		{"sentinel://" + dead + "?master_name=m", "unknown store"},
		{"redis+sentinel+cluster://" + dead + "?master_name=m", "unknown store"},
		{"rediss+sentinels://" + dead + "?master_name=m", "unknown store"},
		{"redis+sentinel://" + dead + "?master_name=m&route_randomly=true", "remove them"},
		{"redis+sentinel://" + dead + "?master_name=m&route_by_latency=1", "remove them"},
		{"redis+sentinel://" + dead + "?master_name=m&replica_only=true", "remove them"},
		{"redis+sentinel://" + dead + "?master_name=m&addr=nohost", "unable to parse addr param"},
		{"redis+sentinel://" + dead + "?master_name=m&nonsense=1", "unexpected option"},
		{"redis+sentinel://" + dead + "/x?master_name=m", "invalid database number"},
		{"redis+sentinel://:hunter2@" + dead + "?master_name=m&password=hunter2&" + fast, "unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			wantOpenError(t, tt.url, tt.want)
		})
	}
}

// TestOpenSentinel opens stores through a real Sentinel group, which it
// starts on loopback ports when redis-server is installed.
func TestOpenSentinel(t *testing.T) {
	g := redistest.StartSentinelGroup(t, 3)
	master := "?master_name=" + redistest.MasterName

	t.Run("round_trip", func(t *testing.T) {
		u := "redis+sentinel://" + g.Sentinels[0] + "/3" + master +
			"&addr=" + g.Sentinels[1] + "&addr=" + g.Sentinels[2] + "&prefix=url:"
		s := openT(t, u, Options{})
		isType[*redisstore.Store](t, s)
		roundTrip(t, s)
		// Bypass Sentinel: a session must be on the master, in the
		// database and under the prefix the URL gave.
		ctx := context.Background()
		if err := s.Save(ctx, testKey, []byte("data"), time.Now().Add(time.Minute), true); err != nil {
			t.Fatal(err)
		}
		c := redis.NewClient(&redis.Options{Addr: g.Master, DB: 3})
		defer c.Close()
		if n, err := c.Exists(ctx, "url:"+testKey).Result(); err != nil || n != 1 {
			t.Errorf("EXISTS url:%s in database 3 of the master %s = %d, %v; want 1", testKey, g.Master, n, err)
		}
	})

	t.Run("addr_sentinels_used", func(t *testing.T) {
		// go-redis asks the sentinels in a random order: only the one in
		// addr= answers.
		u := "redis+sentinel://" + deadAddr(t) + master + "&addr=" + g.Sentinels[1]
		roundTrip(t, openT(t, u, Options{}))
	})

	t.Run("cache", func(t *testing.T) {
		u := "memory://?cache_url=" + url.QueryEscape("redis+sentinel://"+g.Sentinels[2]+master)
		s := openT(t, u, Options{})
		isType[*cachedstore.Store](t, s)
		roundTrip(t, s)
	})

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, c, err := Open(ctx, "redis+sentinel://"+g.Sentinels[0]+master, Options{}); err == nil {
			c.Close()
			t.Error("Open with a cancelled context succeeded")
		}
	})

	t.Run("unknown_master", func(t *testing.T) {
		_, c, err := Open(context.Background(), "redis+sentinel://"+g.Sentinels[0]+"?master_name=nosuch", Options{})
		if err == nil {
			c.Close()
			t.Fatal("Open succeeded with a master name no sentinel knows")
		}
		if want := `knows a master named "nosuch" (check master_name)`; !strings.Contains(err.Error(), want) {
			t.Errorf("error %q: want it to say %q", err, want)
		}
	})
}
