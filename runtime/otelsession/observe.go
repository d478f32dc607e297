package otelsession

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/typedsession/typedsession/runtime/session"
)

// SpanName returns the name of the span for op: "typedsession.load",
// "typedsession.save", "typedsession.delete" or "typedsession.cycle".
func SpanName(op session.Op) string { return "typedsession." + string(op) }

// Start starts the operation's span; the store's own client spans become
// its children.
func (o *Observer) Start(ctx context.Context, op session.Op, store string) context.Context {
	attrs := append(o.common(store), AttrOperation.String(string(op)))
	ctx, _ = o.tracer.Start(ctx, SpanName(op), trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
	return ctx
}

// Done ends the operation's span and records its metrics.
func (o *Observer) Done(ctx context.Context, e session.Event) {
	base := o.common(e.Store)
	outcome := AttrOutcome.String(string(e.Outcome))
	switch e.Op {
	case session.OpLoad:
		o.loads.Add(ctx, 1, metric.WithAttributes(append(base, outcome)...))
	case session.OpSave:
		o.saves.Add(ctx, 1, metric.WithAttributes(append(base, outcome)...))
	}
	if e.Outcome == session.OutcomeNew {
		return // nothing was read: no span was started, no time spent in the store
	}
	op := AttrOperation.String(string(e.Op))
	o.duration.Record(ctx, e.Duration.Seconds(), metric.WithAttributes(append(base, op, outcome)...))
	if e.Size > 0 {
		o.size.Record(ctx, int64(e.Size), metric.WithAttributes(append(base, op)...))
	}
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(outcome)
	if e.Size > 0 {
		span.SetAttributes(AttrSize.Int(e.Size))
	}
	if e.Err != nil {
		// A store's error may name the key it was given (filestore's paths
		// do), but server-side stores are given session.StoreKey hashes,
		// which open nothing, and the session package hides a cookie's key
		// in errors of the clear-key lookup kept for older sessions.
		span.SetStatus(codes.Error, e.Err.Error())
	}
	span.End()
}

// Security counts refused session data and adds an event to the current
// span (the load's).
func (o *Observer) Security(ctx context.Context, e session.SecurityEvent) {
	attrs := append(o.common(e.Store), AttrThreat.String(string(e.Threat)))
	o.security.Add(ctx, 1, metric.WithAttributes(attrs...))
	trace.SpanFromContext(ctx).AddEvent("typedsession.security", trace.WithAttributes(attrs...))
}

// common returns a fresh slice of the configured attributes and the store's
// name, with room for two more.
func (o *Observer) common(store string) []attribute.KeyValue {
	a := make([]attribute.KeyValue, 0, len(o.attrs)+3)
	a = append(a, o.attrs...)
	return append(a, AttrStore.String(store))
}
