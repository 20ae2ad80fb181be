package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// sample has every form of site, things that look like sites but are not,
// and notes in each position.
const sample = `package sample

import "errors"

type api struct{}

func (api) AssertIsEqual(a, b int)        {}
func (api) AssertIsBoolean(a int)         {}
func (api) ToBinary(a int, n ...int) []int { return nil }
func (api) IsZero(a int) int              { return 0 }

type curve struct{}

func (curve) AssertIsOnCurve(p int) {}

type helper struct {
	api   api
	curve curve
}

func (b *helper) assertIf(c, x, y int) {
	b.api.AssertIsEqual(c*(x-y), 0) // site 0
}

func verify(int) error { return nil }

type pkg struct{}

func (pkg) Verify(int) error { return errors.New("bad") }

var eddsa pkg

func define(b *helper, api api, xs []int) error {
	api.AssertIsEqual(1, 1)              // site 1
	bits := api.ToBinary(xs[0], 64)      // not a site: its value is used
	_ = bits                             // not a site: no ToBinary call
	_ = api.ToBinary(xs[1], 64)          // site 2
	_, _ = api.ToBinary(1), 2            // not a site: two values
	x := api.IsZero(1)                   // not a site
	api.IsZero(x)                        // not a site: not an assertion
	// mutate: implied by the range check above
	api.AssertIsBoolean(x)
	for _, v := range xs {
		b.assertIf(1, v, v) // site 4
		_ = api.ToBinary(v, 8)
	}
	if len(xs) > 2 {
		b.curve.AssertIsOnCurve(xs[2]) // mutate:redundant, see define
	}
	// A comment that explains nothing.
	b.api.AssertIsEqual(2, 2)
	assertIf := func() { b.api.AssertIsEqual(3, 3) }
	assertIf()
	switch len(xs) {
	case 1:
		api.AssertIsEqual(xs[0], 1)
	}
	if err := eddsa.Verify(x); err != nil {
		return err
	}
	if err := verify(x); err != nil { // not a site: not a selector
		return err
	}
	api.AssertIsEqual(4, 4) // a trailing note
	api.AssertIsEqual(5, 5) /* mutate: a trailing
	block note */
	return nil
}
`

func TestFindSites(t *testing.T) {
	sf, err := parseSource("sample.go", []byte(sample), 10)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		line   int
		src    string
		noted  bool
		reason string
	}
	line := func(substr string) int {
		for i, l := range strings.Split(sample, "\n") {
			if strings.Contains(l, substr) {
				return i + 1
			}
		}
		t.Fatalf("%q not in the sample", substr)
		return 0
	}
	wants := []want{
		{line("site 0"), "b.api.AssertIsEqual(c*(x-y), 0)", false, ""},
		{line("site 1"), "api.AssertIsEqual(1, 1)", false, ""},
		{line("site 2"), "_ = api.ToBinary(xs[1], 64)", false, ""},
		{line("api.AssertIsBoolean(x)"), "api.AssertIsBoolean(x)", true, "implied by the range check above"},
		{line("site 4"), "b.assertIf(1, v, v)", false, ""},
		{line("_ = api.ToBinary(v, 8)"), "_ = api.ToBinary(v, 8)", false, ""},
		{line("b.curve.AssertIsOnCurve"), "b.curve.AssertIsOnCurve(xs[2])", true, "redundant, see define"},
		{line("b.api.AssertIsEqual(2, 2)"), "b.api.AssertIsEqual(2, 2)", false, ""},
		{line("b.api.AssertIsEqual(3, 3)"), "b.api.AssertIsEqual(3, 3)", false, ""},
		{line("api.AssertIsEqual(xs[0], 1)"), "api.AssertIsEqual(xs[0], 1)", false, ""},
		{line("eddsa.Verify"), "if err := eddsa.Verify(x); err != nil { return err }", false, ""},
		{line("api.AssertIsEqual(4, 4)"), "api.AssertIsEqual(4, 4)", false, ""},
		{line("api.AssertIsEqual(5, 5)"), "api.AssertIsEqual(5, 5)", true, "a trailing block note"},
	}
	if len(sf.sites) != len(wants) {
		for _, s := range sf.sites {
			t.Logf("%s: %s", s, s.Src)
		}
		t.Fatalf("found %d sites, want %d", len(sf.sites), len(wants))
	}
	for i, w := range wants {
		s := sf.sites[i]
		if s.ID != 10+i || s.File != "sample.go" || s.Line != w.line || s.Src != w.src || s.Noted != w.noted || s.Reason != w.reason {
			t.Errorf("site %d = {ID %d, %s:%d, %q, noted %v, %q}, want {ID %d, sample.go:%d, %q, noted %v, %q}",
				i, s.ID, s.File, s.Line, s.Src, s.Noted, s.Reason, 10+i, w.line, w.src, w.noted, w.reason)
		}
	}
}

func TestInstrument(t *testing.T) {
	sf, err := parseSource("sample.go", []byte(sample), 10)
	if err != nil {
		t.Fatal(err)
	}
	out, err := instrument(sf)
	if err != nil {
		t.Fatal(err)
	}
	// The output parses, and every site sits alone in its own guard, in
	// order, with the site's original text.
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "sample.go", out, parser.ParseComments)
	if err != nil {
		t.Fatalf("instrumented source does not parse: %v\n%s", err, out)
	}
	var ids []string
	var srcs []string
	ast.Inspect(f, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			return true
		}
		u, ok := ifs.Cond.(*ast.UnaryExpr)
		if !ok || u.Op != token.NOT {
			return true
		}
		call, ok := u.X.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != mutantFunc {
			return true
		}
		if ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) != 1 {
			t.Errorf("malformed guard at %s", fset.Position(ifs.Pos()))
		}
		ids = append(ids, call.Args[0].(*ast.BasicLit).Value)
		st := ifs.Body.List[0]
		srcs = append(srcs, oneLine(out[fset.Position(st.Pos()).Offset:fset.Position(st.End()).Offset]))
		return true
	})
	if len(ids) != len(sf.sites) {
		t.Fatalf("%d guards, want %d:\n%s", len(ids), len(sf.sites), out)
	}
	for i, s := range sf.sites {
		if want := strconv.Itoa(s.ID); ids[i] != want {
			t.Errorf("guard %d calls %s(%s), want %s", i, mutantFunc, ids[i], want)
		}
		if srcs[i] != s.Src {
			t.Errorf("guard %d wraps %q, want %q", i, srcs[i], s.Src)
		}
	}
	// Comments survive, and non-sites are left alone.
	for _, keep := range []string{
		"// mutate: implied by the range check above",
		"bits := api.ToBinary(xs[0], 64)",
		"if err := verify(x); err != nil { // not a site: not a selector",
		"api.IsZero(x)",
	} {
		if !strings.Contains(string(out), keep) {
			t.Errorf("instrumented source lost %q:\n%s", keep, out)
		}
	}
	if strings.Contains(string(out), `"os"`) {
		t.Errorf("instrumented source imports os:\n%s", out)
	}
	// Sites found again in the output are the same statements, now inside
	// their guards.
	again, err := parseSource("sample.go", out, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.sites) != len(sf.sites) {
		t.Errorf("the output has %d sites, want %d", len(again.sites), len(sf.sites))
	}
}

func TestMutantSource(t *testing.T) {
	src := mutantSource("circuits")
	f, err := parser.ParseFile(token.NewFileSet(), mutantFile, src, 0)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	if f.Name.Name != "circuits" {
		t.Errorf("package %s, want circuits", f.Name.Name)
	}
	found := false
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == mutantFunc {
			found = true
		}
	}
	if !found {
		t.Errorf("%s not defined:\n%s", mutantFunc, src)
	}
}

func TestFailingTests(t *testing.T) {
	out := `--- FAIL: TestSoundness (1.20s)
    --- FAIL: TestSoundness/overdraft (0.01s)
        soundness_test.go:280: the circuit must reject
    --- FAIL: TestSoundness/replay (0.01s)
--- FAIL: TestExitCircuit (0.50s)
FAIL
`
	got := strings.Join(failingTests([]byte(out)), ",")
	if want := "TestSoundness/overdraft,TestSoundness/replay,TestExitCircuit"; got != want {
		t.Errorf("failingTests = %s, want %s", got, want)
	}
}
