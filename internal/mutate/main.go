// Command mutate measures how well the circuits' soundness tests guard the
// circuits' assertions: it deletes each assertion of the batch and exit
// circuits in turn, runs the soundness suites against the mutant, and
// lists the "survivors", the assertions whose deletion left every test
// green. A survivor is a constraint no test shows to be needed: either the
// tests miss a forgery it stops, or it is redundant (then say why with a
// `// mutate: <reason>` comment on the line above it, or trailing it, and
// it is reported as explained rather than as a failure).
//
// Run it with `make mutate` (go run ./internal/mutate). An assertion site
// is a statement of the files named by -files, anywhere in a function body:
//
//   - a call of a selector named Assert*: api.AssertIsEqual(...),
//     b.curve.AssertIsOnCurve(...), ...;
//   - a call of a selector named assertIf (the batch circuit's helper);
//   - a range check `_ = api.ToBinary(...)`; a decomposition whose bits
//     are used is not a site;
//   - an `if err := eddsa.Verify(...); err != nil { ... }` statement.
//
// Building the circuits' test binary takes about a minute and one run of
// the soundness suites a few seconds, so the tool builds once: it writes
// an instrumented copy of each file where site k reads
// `if !keelMutant(k) { <site> }`, plus a file defining keelMutant, which
// is true only for k equal to the KEEL_MUTANT environment variable, and
// compiles the test binary with `go test -c -overlay`, which swaps the
// copies in. The source tree is never modified. It then runs the binary
// once unmutated (the suites must pass) and once per site with
// KEEL_MUTANT=k, two at a time.
//
// It exits 1 if any survivor is unexplained, 2 if it could not run (the
// build failed, or the unmutated suites fail), and 0 otherwise.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

const defaultRun = `^Test(\w*Soundness|FullExit\w*InCircuit|ExitCircuit|ChannelClaimCircuit)$`

type options struct {
	pkg     string
	files   []string
	run     string
	verbose bool
	jobs    int
	timeout time.Duration
	list    bool
	keep    bool
}

func main() {
	var o options
	var files string
	flag.StringVar(&o.pkg, "pkg", "./circuits", "the package whose assertions are mutated")
	flag.StringVar(&files, "files", "batch.go,step.go,ops.go,sig.go,channel.go,leaf.go,depositkey.go,forced.go,exit.go", "comma-separated files of -pkg to mutate")
	flag.StringVar(&o.run, "run", defaultRun, "regexp of the tests to run against each mutant")
	flag.BoolVar(&o.verbose, "v", false, "name the failing tests that kill each mutant")
	flag.IntVar(&o.jobs, "j", 2, "mutants run at a time")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "limit on one run of the tests")
	flag.BoolVar(&o.list, "list", false, "list the sites and exit, without building")
	flag.BoolVar(&o.keep, "keep", false, "keep the instrumented files and the test binary, and print where")
	flag.Parse()
	for _, f := range strings.Split(files, ",") {
		if f = strings.TrimSpace(f); f != "" {
			o.files = append(o.files, f)
		}
	}
	if _, err := regexp.Compile(o.run); err != nil {
		fmt.Fprintf(os.Stderr, "mutate: -run: %v\n", err)
		os.Exit(2)
	}
	if len(o.files) == 0 || o.jobs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code, err := run(ctx, o, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "mutate: %v\n", err)
	}
	os.Exit(code)
}

// outcome is what a mutant's run came to.
type outcome struct {
	killed   bool
	timedOut bool
	failing  []string // the failing tests, innermost subtests only
}

func run(ctx context.Context, o options, stdout, stderr io.Writer) (int, error) {
	start := time.Now()
	dir, pkgName, err := packageDir(ctx, o.pkg)
	if err != nil {
		return 2, err
	}
	shown := displayDir(dir)

	// Find the sites, numbered across the files in the order given.
	var files []*sourceFile
	var sites []*site
	for _, name := range o.files {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return 2, err
		}
		sf, err := parseSource(filepath.Join(shown, name), src, len(sites))
		if err != nil {
			return 2, err
		}
		if sf.file.Name.Name != pkgName {
			return 2, fmt.Errorf("%s is in package %s, not %s", sf.name, sf.file.Name.Name, pkgName)
		}
		files = append(files, sf)
		sites = append(sites, sf.sites...)
	}
	for _, sf := range files {
		fmt.Fprintf(stderr, "%s: %d sites\n", sf.name, len(sf.sites))
	}
	if o.list {
		for _, s := range sites {
			fmt.Fprintf(stdout, "%d\t%s: %s\n", s.ID, s, s.Src)
		}
		return 0, nil
	}
	if len(sites) == 0 {
		return 2, errors.New("no assertion sites found")
	}

	// Instrument, and build the test binary once.
	tmp, err := os.MkdirTemp("", "keel-mutate-")
	if err != nil {
		return 2, err
	}
	if o.keep {
		fmt.Fprintf(stderr, "instrumented files and test binary kept in %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	overlay := map[string]string{}
	for i, sf := range files {
		out, err := instrument(sf)
		if err != nil {
			return 2, err
		}
		// A subdirectory per file keeps equal base names apart.
		p := filepath.Join(tmp, strconv.Itoa(i), filepath.Base(o.files[i]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 2, err
		}
		if err := os.WriteFile(p, out, 0o644); err != nil {
			return 2, err
		}
		overlay[filepath.Join(dir, o.files[i])] = p
	}
	if _, err := os.Stat(filepath.Join(dir, mutantFile)); err == nil {
		return 2, fmt.Errorf("%s already exists in %s", mutantFile, dir)
	}
	guardPath := filepath.Join(tmp, mutantFile)
	if err := os.WriteFile(guardPath, mutantSource(pkgName), 0o644); err != nil {
		return 2, err
	}
	overlay[filepath.Join(dir, mutantFile)] = guardPath
	js, err := json.MarshalIndent(map[string]any{"Replace": overlay}, "", "\t")
	if err != nil {
		return 2, err
	}
	overlayPath := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayPath, js, 0o644); err != nil {
		return 2, err
	}
	bin := filepath.Join(tmp, "pkg.test")
	fmt.Fprintf(stderr, "building the test binary of %s (once)...\n", o.pkg)
	build := exec.CommandContext(ctx, "go", "test", "-c", "-vet=off", "-o", bin, "-overlay", overlayPath, o.pkg)
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		return 2, fmt.Errorf("building the instrumented test binary: %w", err)
	}
	built := time.Since(start)

	// The unmutated suites must pass, or no result means anything.
	fmt.Fprintf(stderr, "running the unmutated suites...\n")
	t0 := time.Now()
	base, out, err := runMutant(ctx, o, bin, dir, -1)
	if err != nil {
		return 2, err
	}
	if base.killed {
		stderr.Write(out)
		if base.timedOut {
			return 2, fmt.Errorf("the unmutated suites ran past -timeout %s", o.timeout)
		}
		return 2, fmt.Errorf("the unmutated suites fail (%s): fix them first", strings.Join(base.failing, ", "))
	}
	fmt.Fprintf(stderr, "unmutated suites pass in %s; running %d mutants, %d at a time\n", time.Since(t0).Round(100*time.Millisecond), len(sites), o.jobs)

	// One run per site.
	results := make([]outcome, len(sites))
	var mu sync.Mutex
	done := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.jobs)
	for _, s := range sites {
		g.Go(func() error {
			res, _, err := runMutant(gctx, o, bin, dir, s.ID)
			if err != nil {
				return fmt.Errorf("mutant %d (%s): %w", s.ID, s, err)
			}
			results[s.ID] = res
			mu.Lock()
			defer mu.Unlock()
			done++
			fmt.Fprintf(stderr, "[%d/%d] %s %s\n", done, len(sites), s, describe(s, res, o.verbose))
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 2, err
	}

	// The report.
	var killed, explained, unexplained []*site
	for _, s := range sites {
		switch {
		case results[s.ID].killed:
			killed = append(killed, s)
		case s.Noted:
			explained = append(explained, s)
		default:
			unexplained = append(unexplained, s)
		}
	}
	fmt.Fprintf(stdout, "\nmutation report (%s, tests %s)\n", o.pkg, o.run)
	for _, sf := range files {
		fmt.Fprintf(stdout, "  %s: %d sites\n", sf.name, len(sf.sites))
	}
	fmt.Fprintf(stdout, "sites: %d  killed: %d  explained survivors: %d  unexplained survivors: %d\n",
		len(sites), len(killed), len(explained), len(unexplained))
	fmt.Fprintf(stdout, "wall time: %s (build %s)\n", time.Since(start).Round(time.Second), built.Round(time.Second))
	if o.verbose && len(killed) > 0 {
		fmt.Fprintf(stdout, "\nkilled:\n")
		for _, s := range killed {
			fmt.Fprintf(stdout, "%s: %s\n    %s\n", s, s.Src, describe(s, results[s.ID], true))
		}
	}
	if len(explained) > 0 {
		fmt.Fprintf(stdout, "\nexplained survivors:\n")
		for _, s := range explained {
			reason := s.Reason
			if reason == "" {
				reason = "(no reason given)"
			}
			fmt.Fprintf(stdout, "%s: %s\n    mutate: %s\n", s, s.Src, reason)
		}
	}
	if len(unexplained) > 0 {
		fmt.Fprintf(stdout, "\nunexplained survivors (no test fails without them):\n")
		for _, s := range unexplained {
			fmt.Fprintf(stdout, "%s: %s\n", s, s.Src)
		}
		return 1, nil
	}
	return 0, nil
}

// describe is a mutant's outcome in a word, and with verbose the tests
// that killed it.
func describe(s *site, res outcome, verbose bool) string {
	switch {
	case res.timedOut:
		return "killed (timed out)"
	case res.killed:
		if verbose && len(res.failing) > 0 {
			return "killed by " + strings.Join(res.failing, ", ")
		}
		return "killed"
	case s.Noted:
		return "survived (explained)"
	}
	return "SURVIVED"
}

// runMutant runs the test binary with site id deleted (none if id < 0) in
// the package's directory, as go test would. A run that fails or times out
// kills the mutant; err reports only a run that could not start or was
// interrupted.
func runMutant(ctx context.Context, o options, bin, dir string, id int) (outcome, []byte, error) {
	rctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	cmd := exec.CommandContext(rctx, bin, "-test.run", o.run, "-test.short", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = environ(id)
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		return outcome{}, out.Bytes(), ctx.Err()
	}
	if err == nil {
		return outcome{}, out.Bytes(), nil
	}
	var exit *exec.ExitError
	if rctx.Err() != nil {
		return outcome{killed: true, timedOut: true}, out.Bytes(), nil
	}
	if !errors.As(err, &exit) {
		return outcome{}, out.Bytes(), err
	}
	return outcome{killed: true, failing: failingTests(out.Bytes())}, out.Bytes(), nil
}

// environ is this process's environment with KEEL_MUTANT set to id, or
// unset if id < 0.
func environ(id int) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, mutantEnv+"=") {
			env = append(env, kv)
		}
	}
	if id >= 0 {
		env = append(env, mutantEnv+"="+strconv.Itoa(id))
	}
	return env
}

var failLine = regexp.MustCompile(`^\s*--- FAIL: (\S+)`)

// failingTests returns the tests a test binary's output reports failed,
// leaving out those that failed only because a subtest did. If none is
// named (a panic, a build of the circuit that errs), it returns nil.
func failingTests(out []byte) []string {
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if m := failLine.FindStringSubmatch(line); m != nil {
			names = append(names, m[1])
		}
	}
	var leaves []string
	for _, n := range names {
		parent := false
		for _, m := range names {
			if strings.HasPrefix(m, n+"/") {
				parent = true
				break
			}
		}
		if !parent {
			leaves = append(leaves, n)
		}
	}
	return leaves
}

// packageDir returns the directory and package name of pkg.
func packageDir(ctx context.Context, pkg string) (dir, name string, err error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-f", "{{.Dir}}\t{{.Name}}", pkg).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", "", fmt.Errorf("go list %s: %v\n%s", pkg, err, exit.Stderr)
		}
		return "", "", fmt.Errorf("go list %s: %w", pkg, err)
	}
	dir, name, ok := strings.Cut(strings.TrimSpace(string(out)), "\t")
	if !ok || strings.Contains(name, "\n") {
		return "", "", fmt.Errorf("go list %s: want one package, got %q", pkg, out)
	}
	return dir, name, nil
}

// displayDir is dir relative to the working directory where it lies below
// it, else dir.
func displayDir(dir string) string {
	wd, err := os.Getwd()
	if err != nil {
		return dir
	}
	rel, err := filepath.Rel(wd, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return dir
	}
	return rel
}
