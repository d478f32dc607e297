package otelsession_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/otelsession"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/cookiestore"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

const secret = "otelsession-test-secret-0123456789abcdef"

// env is a Manager reporting to in-memory OpenTelemetry exporters.
type env struct {
	m      *session.Manager
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	keys   []string // every session key handed out, which no telemetry may show
}

func newEnv(t *testing.T, st store.Store) *env {
	t.Helper()
	e := &env{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	e.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(e.spans))
	obs, err := otelsession.New(otelsession.Config{
		TracerProvider: e.tp,
		MeterProvider:  sdkmetric.NewMeterProvider(sdkmetric.WithReader(e.reader)),
	})
	if err != nil {
		t.Fatal(err)
	}
	e.m, err = session.NewManager(session.Config{
		Store: st, Secret: secret, Observer: obs,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// do serves one request with cookie (if any) to h inside a "request" span,
// as an HTTP instrumentation would, and returns the response.
func (e *env) do(t *testing.T, cookie string, h func(*probe.Session, *http.Request)) *http.Response {
	t.Helper()
	r := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: session.DefaultCookieName, Value: cookie})
	}
	ctx, span := e.tp.Tracer("test").Start(r.Context(), "request")
	defer span.End()
	w := httptest.NewRecorder()
	e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h(p, r)
	})).ServeHTTP(w, r.WithContext(ctx))
	resp := w.Result()
	for _, c := range resp.Cookies() {
		if c.Value != "" {
			e.keys = append(e.keys, c.Value)
		}
	}
	return resp
}

// span is what a test checks of a finished span.
type span struct {
	Name   string
	Parent string // "request" when the HTTP request's span is its parent
	Attrs  map[string]string
	Status codes.Code
	Events []string
}

// takeSpans returns the typedsession spans ended since the last call, and
// checks that none shows a session key or session data.
func (e *env) takeSpans(t *testing.T) []span {
	t.Helper()
	var out []span
	for _, s := range e.spans.Ended() {
		if s.Name() == "request" {
			continue
		}
		sp := span{Name: s.Name(), Attrs: attrMap(s.Attributes()), Status: s.Status().Code}
		if s.Parent().IsValid() {
			sp.Parent = "request"
		}
		for _, ev := range s.Events() {
			sp.Events = append(sp.Events, ev.Name+" "+encodeSet(attribute.NewSet(ev.Attributes...)))
		}
		delete(sp.Attrs, string(otelsession.AttrSize)) // varies; the payload size histogram is checked
		e.checkNoSecrets(t, s.Name(), s.Attributes())
		out = append(out, sp)
	}
	e.spans.Reset()
	return out
}

func attrMap(kvs []attribute.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.Emit()
	}
	return m
}

func (e *env) checkNoSecrets(t *testing.T, where string, kvs []attribute.KeyValue) {
	t.Helper()
	for _, kv := range kvs {
		v := kv.Value.Emit()
		for _, k := range e.keys {
			if strings.Contains(v, k) || (len(v) >= 16 && strings.Contains(k, v)) {
				t.Errorf("%s: attribute %s shows a session key", where, kv.Key)
			}
		}
		if strings.Contains(v, "Ada") {
			t.Errorf("%s: attribute %s shows session data: %q", where, kv.Key, v)
		}
	}
}

// metrics collects the metrics so far: for each metric name, the value of
// each attribute set ("typedsession.outcome=ok,..."); a histogram's value
// is its count.
func (e *env) metrics(t *testing.T) map[string]map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := e.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			vals := map[string]int64{}
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					vals[encode(dp.Attributes)] = dp.Value
				}
			case metricdata.Histogram[float64]:
				for _, dp := range d.DataPoints {
					vals[encode(dp.Attributes)] = int64(dp.Count)
				}
			case metricdata.Histogram[int64]:
				for _, dp := range d.DataPoints {
					vals[encode(dp.Attributes)] = int64(dp.Count)
				}
			default:
				t.Fatalf("metric %s has unexpected data %T", m.Name, m.Data)
			}
			out[m.Name] = vals
		}
	}
	return out
}

// encode drops the store's name, which every attribute set has.
func encode(s attribute.Set) string {
	f, _ := s.Filter(func(kv attribute.KeyValue) bool { return kv.Key != otelsession.AttrStore })
	return encodeSet(f)
}

func memAttrs(op, outcome string) map[string]string {
	return map[string]string{
		"typedsession.store.name":     "memstore",
		"typedsession.operation.name": op,
		"typedsession.outcome":        outcome,
	}
}

func TestSignInAndOut(t *testing.T) {
	e := newEnv(t, memstore.NewWithCleanup(0))
	resp := e.do(t, "", func(p *probe.Session, r *http.Request) { p.SetName("Ada") })
	key := resp.Cookies()[0].Value
	if diff := cmp.Diff([]span{
		{Name: "typedsession.save", Parent: "request", Attrs: memAttrs("save", "ok")},
	}, e.takeSpans(t)); diff != "" {
		t.Errorf("first visit: spans (-want +got):\n%s", diff)
	}

	resp = e.do(t, key, func(p *probe.Session, r *http.Request) {
		if err := p.Cycle(r.Context()); err != nil { // sign-in
			t.Error(err)
		}
		p.SetCount(1)
	})
	key = resp.Cookies()[0].Value
	if diff := cmp.Diff([]span{
		{Name: "typedsession.load", Parent: "request", Attrs: memAttrs("load", "ok")},
		{Name: "typedsession.cycle", Parent: "request", Attrs: memAttrs("cycle", "ok")},
		{Name: "typedsession.save", Parent: "request", Attrs: memAttrs("save", "ok")},
	}, e.takeSpans(t)); diff != "" {
		t.Errorf("sign-in: spans (-want +got):\n%s", diff)
	}

	e.do(t, key, func(p *probe.Session, r *http.Request) {
		if err := p.Flush(r.Context()); err != nil { // sign-out
			t.Error(err)
		}
	})
	if diff := cmp.Diff([]span{
		{Name: "typedsession.load", Parent: "request", Attrs: memAttrs("load", "ok")},
		{Name: "typedsession.delete", Parent: "request", Attrs: memAttrs("delete", "ok")},
	}, e.takeSpans(t)); diff != "" {
		t.Errorf("sign-out: spans (-want +got):\n%s", diff)
	}

	want := map[string]map[string]int64{
		otelsession.MetricLoads: {"typedsession.outcome=new": 1, "typedsession.outcome=ok": 2},
		otelsession.MetricSaves: {"typedsession.outcome=ok": 2},
		otelsession.MetricStoreDuration: {
			"typedsession.operation.name=load,typedsession.outcome=ok":   2,
			"typedsession.operation.name=save,typedsession.outcome=ok":   2,
			"typedsession.operation.name=cycle,typedsession.outcome=ok":  1,
			"typedsession.operation.name=delete,typedsession.outcome=ok": 1,
		},
		otelsession.MetricPayloadSize: {
			"typedsession.operation.name=load":  2,
			"typedsession.operation.name=save":  2,
			"typedsession.operation.name=cycle": 1,
		},
	}
	if diff := cmp.Diff(want, e.metrics(t)); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

// brokenStore is a memstore whose Load or Save fails.
type brokenStore struct {
	*memstore.Store
	load, save bool
}

var errDown = errors.New("brokenstore: the store is down")

func (b *brokenStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	if b.load {
		return nil, false, errDown
	}
	return b.Store.Load(ctx, key)
}

func (b *brokenStore) Save(ctx context.Context, key string, data []byte, exp time.Time, create bool) error {
	if b.save {
		return errDown
	}
	return b.Store.Save(ctx, key, data, exp, create)
}

// Swap fails as Save does: the session saves an update it loaded through
// the memstore's Swap (store.Swapper), not Save.
func (b *brokenStore) Swap(ctx context.Context, key string, old, data []byte, exp time.Time) error {
	if b.save {
		return errDown
	}
	return b.Store.Swap(ctx, key, old, data, exp)
}

func TestStoreFailure(t *testing.T) {
	st := &brokenStore{Store: memstore.NewWithCleanup(0)}
	e := newEnv(t, st)
	key := e.do(t, "", func(p *probe.Session, r *http.Request) { p.SetName("Ada") }).Cookies()[0].Value
	e.takeSpans(t)

	st.save = true
	resp := e.do(t, key, func(p *probe.Session, r *http.Request) { p.SetCount(2) })
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("save failure: status %d, want 500", resp.StatusCode)
	}
	st.save, st.load = false, true
	resp = e.do(t, key, func(p *probe.Session, r *http.Request) { t.Error("the handler ran without its session") })
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("load failure: status %d, want 500", resp.StatusCode)
	}

	attrs := func(op, outcome string) map[string]string {
		a := memAttrs(op, outcome)
		a["typedsession.store.name"] = "otelsession_test"
		return a
	}
	if diff := cmp.Diff([]span{
		{Name: "typedsession.load", Parent: "request", Attrs: attrs("load", "ok")},
		{Name: "typedsession.save", Parent: "request", Attrs: attrs("save", "error"), Status: codes.Error},
		{Name: "typedsession.load", Parent: "request", Attrs: attrs("load", "error"), Status: codes.Error},
	}, e.takeSpans(t)); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	got := e.metrics(t)
	if diff := cmp.Diff(map[string]int64{
		"typedsession.outcome=new": 1, "typedsession.outcome=ok": 1, "typedsession.outcome=error": 1,
	}, got[otelsession.MetricLoads]); diff != "" {
		t.Errorf("loads (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int64{
		"typedsession.outcome=ok": 1, "typedsession.outcome=error": 1,
	}, got[otelsession.MetricSaves]); diff != "" {
		t.Errorf("saves (-want +got):\n%s", diff)
	}
}

func TestForgedCookie(t *testing.T) {
	cs, err := cookiestore.New(cookiestore.Config{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, cs)
	cookie := e.do(t, "", func(p *probe.Session, r *http.Request) { p.SetName("Ada") }).Cookies()[0].Value
	e.takeSpans(t)

	b := []byte(cookie)
	b[len(b)/2] ^= 'A' ^ 'B' // still cookie-safe: a forged cookie, not a malformed one
	if b[len(b)/2] == cookie[len(b)/2] || strings.ContainsAny(string(b), " ;,\"") {
		t.Fatalf("bad test: forged cookie %q", b)
	}
	resp := e.do(t, string(b), func(p *probe.Session, r *http.Request) {
		if p.HasName() {
			t.Error("a forged cookie gave its data")
		}
	})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d, want 200 (a new, empty session)", resp.StatusCode)
	}
	threat := "typedsession.security.threat=bad_signature,typedsession.store.name=cookiestore"
	if diff := cmp.Diff([]span{{
		Name: "typedsession.load", Parent: "request",
		Attrs:  map[string]string{"typedsession.store.name": "cookiestore", "typedsession.operation.name": "load", "typedsession.outcome": "discarded"},
		Events: []string{"typedsession.security " + threat},
	}}, e.takeSpans(t)); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	got := e.metrics(t)
	if diff := cmp.Diff(map[string]int64{"typedsession.security.threat=bad_signature": 1}, got[otelsession.MetricSecurityEvents]); diff != "" {
		t.Errorf("security events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int64{"typedsession.outcome=new": 1, "typedsession.outcome=discarded": 1}, got[otelsession.MetricLoads]); diff != "" {
		t.Errorf("loads (-want +got):\n%s", diff)
	}
}

func encodeSet(s attribute.Set) string { return s.Encoded(attribute.DefaultEncoder()) }

// Config.Attributes reach every span and measurement, so two Managers with
// the same kind of store can be told apart.
func TestConfigAttributes(t *testing.T) {
	spans, reader := tracetest.NewSpanRecorder(), sdkmetric.NewManualReader()
	obs, err := otelsession.New(otelsession.Config{
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)),
		MeterProvider:  sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)),
		Attributes:     []attribute.KeyValue{attribute.String("app.manager", "admin")},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.NewManager(session.Config{Store: memstore.NewWithCleanup(0), Secret: secret, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			t.Fatal(err)
		}
		p.SetName("Ada")
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))

	ended := spans.Ended()
	if len(ended) != 1 || attrMap(ended[0].Attributes())["app.manager"] != "admin" {
		t.Errorf("spans %v: want one save span with app.manager=admin", ended)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sm := range rm.ScopeMetrics {
		for _, md := range sm.Metrics {
			n++
			var sets []attribute.Set
			switch d := md.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					sets = append(sets, dp.Attributes)
				}
			case metricdata.Histogram[float64]:
				for _, dp := range d.DataPoints {
					sets = append(sets, dp.Attributes)
				}
			case metricdata.Histogram[int64]:
				for _, dp := range d.DataPoints {
					sets = append(sets, dp.Attributes)
				}
			}
			for _, s := range sets {
				if v, ok := s.Value("app.manager"); !ok || v.AsString() != "admin" {
					t.Errorf("%s: attributes %s lack app.manager=admin", md.Name, encodeSet(s))
				}
			}
		}
	}
	if n == 0 {
		t.Error("no metrics recorded")
	}
}
