package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is the release; builds set it with
// -ldflags "-X main.version=v1.2.3".
var version = "dev"

type versionOut struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Go      string `json:"go"`
}

func runVersion(args []string, g *globals) error {
	f := g.flagSet("version", "", "Print the version of keel.")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	out := versionOut{Version: version, Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				out.Commit = s.Value
			}
		}
	}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "keel %s", out.Version)
		if out.Commit != "" {
			fmt.Fprintf(w, " (commit %s)", out.Commit)
		}
		fmt.Fprintf(w, " %s\n", out.Go)
	})
}
