package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// mutantFunc is the guard every instrumented site calls; mutantFile defines
// it in the package under test.
const (
	mutantFunc = "keelMutant"
	mutantFile = "zz_keel_mutant.go"
	mutantEnv  = "KEEL_MUTANT"
	noteMarker = "mutate:"
)

// site is one assertion statement that a mutant deletes.
type site struct {
	ID     int    // the KEEL_MUTANT value that deletes it
	File   string // the file as reported (relative path)
	Line   int    // the statement's first line
	Src    string // the statement's source, whitespace collapsed to one line
	Reason string // the text after "mutate:" in its comment, if any
	Noted  bool   // whether its comment carries a "mutate:" note
	stmt   ast.Stmt
}

func (s *site) String() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// sourceFile is one parsed file of the package under test and its sites.
type sourceFile struct {
	name  string // as reported
	src   []byte
	fset  *token.FileSet
	file  *ast.File
	sites []*site
}

// parseSource parses src (comments kept) and numbers its sites from
// firstID on, in source order.
func parseSource(name string, src []byte, firstID int) (*sourceFile, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	sf := &sourceFile{name: name, src: src, fset: fset, file: f}
	sf.sites = findSites(fset, f, src, name)
	for i, s := range sf.sites {
		s.ID = firstID + i
	}
	return sf, nil
}

// findSites returns the assertion statements of every statement list in
// f's function bodies (for and if blocks, switch and select clauses
// included), in source order. IDs are left zero.
func findSites(fset *token.FileSet, f *ast.File, src []byte, name string) []*site {
	var out []*site
	ast.Inspect(f, func(n ast.Node) bool {
		for _, st := range stmtList(n) {
			if !isSite(st) {
				continue
			}
			s := &site{
				File: name,
				Line: fset.Position(st.Pos()).Line,
				Src:  oneLine(src[fset.Position(st.Pos()).Offset:fset.Position(st.End()).Offset]),
				stmt: st,
			}
			s.Reason, s.Noted = note(fset, f, src, st)
			out = append(out, s)
		}
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].stmt.Pos() < out[j].stmt.Pos() })
	return out
}

// stmtList returns the statement list n holds directly, if any.
func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// isSite reports whether st is an assertion: a call statement of a
// selector named Assert* or assertIf; a range check `_ = x.ToBinary(...)`;
// or an if statement whose init calls a selector named Verify.
func isSite(st ast.Stmt) bool {
	switch st := st.(type) {
	case *ast.ExprStmt:
		name := selectorCall(st.X)
		return strings.HasPrefix(name, "Assert") || name == "assertIf"
	case *ast.AssignStmt:
		if st.Tok != token.ASSIGN || len(st.Lhs) != 1 || len(st.Rhs) != 1 {
			return false
		}
		id, ok := st.Lhs[0].(*ast.Ident)
		return ok && id.Name == "_" && selectorCall(st.Rhs[0]) == "ToBinary"
	case *ast.IfStmt:
		if st.Init == nil {
			return false
		}
		found := false
		ast.Inspect(st.Init, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok && selectorCall(e) == "Verify" {
				found = true
			}
			return !found
		})
		return found
	}
	return false
}

// selectorCall returns Sel's name if e is a call x.Sel(...), else "".
func selectorCall(e ast.Expr) string {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return ""
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	return sel.Sel.Name
}

// note returns the "mutate:" note explaining a survivor at st: in the
// comment group that ends on the line just above st (and is alone on its
// lines), or in a comment trailing st on its last line.
func note(fset *token.FileSet, f *ast.File, src []byte, st ast.Stmt) (string, bool) {
	first := fset.Position(st.Pos()).Line
	last := fset.Position(st.End()).Line
	for _, cg := range f.Comments {
		start := fset.Position(cg.Pos())
		end := fset.Position(cg.End())
		above := end.Line == first-1 && ownLine(src, start.Offset)
		trailing := cg.Pos() >= st.End() && start.Line == last
		if !above && !trailing {
			continue
		}
		text := commentText(cg)
		if i := strings.Index(text, noteMarker); i >= 0 {
			return oneLine([]byte(text[i+len(noteMarker):])), true
		}
	}
	return "", false
}

// ownLine reports whether only blanks precede offset on its line.
func ownLine(src []byte, offset int) bool {
	for i := offset - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' {
			return false
		}
	}
	return true
}

// commentText is a comment group's text without its markers. Unlike
// CommentGroup.Text it keeps lines that look like directives
// ("//mutate:...").
func commentText(cg *ast.CommentGroup) string {
	var lines []string
	for _, c := range cg.List {
		t := c.Text
		if strings.HasPrefix(t, "//") {
			t = t[2:]
		} else {
			t = strings.TrimSuffix(strings.TrimPrefix(t, "/*"), "*/")
		}
		lines = append(lines, t)
	}
	return strings.Join(lines, "\n")
}

// oneLine collapses runs of white space to one blank.
func oneLine(b []byte) string { return strings.Join(strings.Fields(string(b)), " ") }

// instrument rewrites sf's AST so that each site k becomes
// `if !keelMutant(k) { <site> }`, and returns the formatted source. It
// modifies sf.file; call it once, after the sites are found.
func instrument(sf *sourceFile) ([]byte, error) {
	wrap := make(map[ast.Stmt]int, len(sf.sites))
	for _, s := range sf.sites {
		wrap[s.stmt] = s.ID
	}
	ast.Inspect(sf.file, func(n ast.Node) bool {
		list := stmtList(n)
		for i, st := range list {
			if id, ok := wrap[st]; ok {
				list[i] = guard(st, id)
				delete(wrap, st)
			}
		}
		return true
	})
	if len(wrap) != 0 {
		return nil, fmt.Errorf("%s: %d sites not found while instrumenting", sf.name, len(wrap))
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, sf.fset, sf.file); err != nil {
		return nil, fmt.Errorf("%s: printing the instrumented file: %w", sf.name, err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), sf.name, buf.Bytes(), 0); err != nil {
		return nil, fmt.Errorf("%s: the instrumented file does not parse: %w", sf.name, err)
	}
	return buf.Bytes(), nil
}

// guard wraps st as `if !keelMutant(id) { st }`. The new nodes take st's
// positions, so the printer keeps the comments around st where they were.
func guard(st ast.Stmt, id int) ast.Stmt {
	pos, end := st.Pos(), st.End()
	return &ast.IfStmt{
		If: pos,
		Cond: &ast.UnaryExpr{
			OpPos: pos,
			Op:    token.NOT,
			X: &ast.CallExpr{
				Fun:    &ast.Ident{NamePos: pos, Name: mutantFunc},
				Lparen: pos,
				Args:   []ast.Expr{&ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: strconv.Itoa(id)}},
				Rparen: pos,
			},
		},
		Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{st}, Rbrace: end},
	}
}

// mutantSource is the extra file that defines the guard in package pkg.
func mutantSource(pkg string) []byte {
	return []byte(`// Code generated by internal/mutate. DO NOT EDIT.

package ` + pkg + `

import (
	"os"
	"strconv"
	"sync"
)

var (
	keelMutantOnce sync.Once
	keelMutantID   = -1
)

// keelMutant reports whether site k is deleted in this run: whether
// ` + mutantEnv + ` names it. Unset or invalid, it names none.
func ` + mutantFunc + `(k int) bool {
	keelMutantOnce.Do(func() {
		if n, err := strconv.Atoi(os.Getenv("` + mutantEnv + `")); err == nil {
			keelMutantID = n
		}
	})
	return k == keelMutantID
}
`)
}
