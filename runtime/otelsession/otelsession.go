// Package otelsession reports typedsession's store operations and security
// events to OpenTelemetry: a span per store load, save, delete and cycle,
// and metrics of loads, saves, security events, store latency and payload
// size. Set an Observer as session.Config.Observer:
//
//	obs, err := otelsession.New(otelsession.Config{})
//	...
//	m, err := session.NewManager(session.Config{Store: st, Secret: secret, Observer: obs})
//
// Spans and metrics carry the store's name and the outcome, never a
// session key or session data.
//
// It is a module of its own, so that typedsession itself does not depend on
// OpenTelemetry.
package otelsession

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/typedsession/typedsession/runtime/session"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/typedsession/typedsession/runtime/otelsession"

// The attribute keys on spans and measurements.
const (
	AttrStore     = attribute.Key("typedsession.store.name")     // "memstore", "redisstore", ...
	AttrOperation = attribute.Key("typedsession.operation.name") // load, save, delete, cycle
	AttrOutcome   = attribute.Key("typedsession.outcome")        // session.Outcome
	AttrThreat    = attribute.Key("typedsession.security.threat")
	AttrSize      = attribute.Key("typedsession.payload.size") // spans only, bytes
)

// Config configures an Observer. Its zero value uses the global providers.
type Config struct {
	// TracerProvider and MeterProvider default to otel.GetTracerProvider()
	// and otel.GetMeterProvider().
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider

	// Attributes are added to every span and measurement, for instance to
	// tell two Managers with the same kind of store apart.
	Attributes []attribute.KeyValue
}

// Observer is a session.Observer that reports to OpenTelemetry. It is safe
// for concurrent use.
type Observer struct {
	tracer   trace.Tracer
	attrs    []attribute.KeyValue
	loads    metric.Int64Counter
	saves    metric.Int64Counter
	security metric.Int64Counter
	duration metric.Float64Histogram
	size     metric.Int64Histogram
}

var _ session.Observer = (*Observer)(nil)

// New returns an Observer for cfg. It fails only when the meter provider
// refuses an instrument.
func New(cfg Config) (*Observer, error) {
	tp, mp := cfg.TracerProvider, cfg.MeterProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	o := &Observer{tracer: tp.Tracer(ScopeName), attrs: cfg.Attributes}
	if err := o.instruments(mp.Meter(ScopeName)); err != nil {
		return nil, err
	}
	return o, nil
}
