package otelsession

import (
	"errors"
	"fmt"

	"go.opentelemetry.io/otel/metric"
)

// The metric names, in OpenTelemetry's semantic-convention style: a
// namespace, dots between components, units in UCUM.
const (
	MetricLoads          = "typedsession.session.loads"            // {load}, by outcome: new, ok, discarded, error
	MetricSaves          = "typedsession.session.saves"            // {save}, by outcome: ok, conflict, error
	MetricSecurityEvents = "typedsession.security.events"          // {event}, by threat
	MetricStoreDuration  = "typedsession.store.operation.duration" // s, by operation and outcome
	MetricPayloadSize    = "typedsession.payload.size"             // By, by operation
)

// Store calls take microseconds in memory and milliseconds over a network.
var durationBuckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// A session cookie holds at most 4 KiB; server-side sessions may be larger.
var sizeBuckets = []float64{64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 65536, 262144}

func (o *Observer) instruments(m metric.Meter) error {
	var errs [5]error
	o.loads, errs[0] = m.Int64Counter(MetricLoads, metric.WithUnit("{load}"),
		metric.WithDescription("Sessions loaded, by outcome: new (no session key), ok, discarded (unknown, expired, forged or corrupt) or error (the store failed)."))
	o.saves, errs[1] = m.Int64Counter(MetricSaves, metric.WithUnit("{save}"),
		metric.WithDescription("Sessions saved, by outcome: ok, conflict (deleted meanwhile, e.g. by a logout in another tab) or error."))
	o.security, errs[2] = m.Int64Counter(MetricSecurityEvents, metric.WithUnit("{event}"),
		metric.WithDescription("Session data refused as forged or corrupt."))
	o.duration, errs[3] = m.Float64Histogram(MetricStoreDuration, metric.WithUnit("s"),
		metric.WithDescription("Time spent in the session store per operation."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	o.size, errs[4] = m.Int64Histogram(MetricPayloadSize, metric.WithUnit("By"),
		metric.WithDescription("Size of the signed session payload read or written."),
		metric.WithExplicitBucketBoundaries(sizeBuckets...))
	if err := errors.Join(errs[:]...); err != nil {
		return fmt.Errorf("otelsession: create instruments: %w", err)
	}
	return nil
}
