package otelsession_test

import (
	"context"
	"log"
	"net/http"
	"os"

	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/typedsession/typedsession/runtime/otelsession"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// A Manager whose store operations show up as spans and metrics on
// standard output. In production, pass the providers your application
// already configures (or none: the global ones are used).
func Example() {
	spans, err := stdouttrace.New(stdouttrace.WithPrettyPrint())
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(spans))
	defer tp.Shutdown(context.Background())
	metrics, err := stdoutmetric.New()
	if err != nil {
		log.Fatal(err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics)))
	defer mp.Shutdown(context.Background())

	obs, err := otelsession.New(otelsession.Config{TracerProvider: tp, MeterProvider: mp})
	if err != nil {
		log.Fatal(err)
	}
	m, err := session.NewManager(session.Config{
		Store:    memstore.New(),
		Secret:   os.Getenv("TYPEDSESSION_SECRET"),
		Observer: obs,
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", m.Handler(http.NotFoundHandler())))
}
