package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagSet is a subcommand's flags, with its help text.
type flagSet struct {
	*flag.FlagSet
	help           string
	stdout, stderr io.Writer
}

// newFlags returns the flag set of a subcommand. Parse errors go to stderr;
// -h prints the help (description, flags, examples) to stdout.
func newFlags(name, help string, stdout, stderr io.Writer) *flagSet {
	fs := &flagSet{flag.NewFlagSet("sessionctl "+name, flag.ContinueOnError), help, stdout, stderr}
	fs.SetOutput(stderr)
	fs.Usage = func() {} // parse prints the help, to the stream it belongs on
	return fs
}

func (fs *flagSet) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: sessionctl %s\n\nFlags:\n", strings.TrimSpace(fs.help))
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(fs.stderr)
}

// parse parses args. It returns done with the exit status when there is
// nothing more to do: -h (help on stdout, success) or a usage error.
func (fs *flagSet) parse(args []string) (done bool, code int) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.usage(fs.stdout)
		return true, exitOK
	case err != nil: // the flag package has reported it
		fs.usage(fs.stderr)
		return true, exitUsage
	case fs.NArg() > 0:
		return true, fs.usageError("unexpected argument %q", fs.Arg(0))
	}
	return false, exitOK
}

// usageError reports a usage problem and returns the usage exit status.
func (fs *flagSet) usageError(format string, args ...any) int {
	fmt.Fprintf(fs.stderr, "%s: %s\n\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.usage(fs.stderr)
	return exitUsage
}
