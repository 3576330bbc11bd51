package lessons

// Resolving code anchors. An anchor names a symbol, never a line: the file
// is parsed with go/parser and searched for a function, a method
// (Type.Name, or Name alone when only one method or function has that
// name), a type, or a package-level const or var. The lessons' test
// resolves every anchor of every lesson, so renaming campaign in
// core/raft/election.go fails the test until the lesson follows.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
)

// Resolve finds the anchor's symbol in root (the module root) and sets
// a.Code to its source, doc comment included.
func Resolve(root fs.FS, a *Anchor) error {
	src, err := fs.ReadFile(root, a.File)
	if err != nil {
		return fmt.Errorf("anchor %s: %w", a, err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, a.File, src, parser.ParseComments)
	if err != nil {
		return fmt.Errorf("anchor %s: %w", a, err)
	}
	var found []ast.Node
	for _, d := range f.Decls {
		found = append(found, matches(d, a.Symbol)...)
	}
	switch len(found) {
	case 0:
		return fmt.Errorf("anchor %s: no func, method, type, const or var %q in %s", a, a.Symbol, a.File)
	case 1:
	default:
		return fmt.Errorf("anchor %s: %q is ambiguous in %s; write Type.%s", a, a.Symbol, a.File, a.Symbol)
	}
	start, end := fset.Position(found[0].Pos()).Offset, fset.Position(found[0].End()).Offset
	if doc := docOf(found[0]); doc != nil {
		start = fset.Position(doc.Pos()).Offset
	}
	a.Code = string(src[start:end])
	return nil
}

// matches returns the nodes of one declaration that sym names.
func matches(d ast.Decl, sym string) []ast.Node {
	typ, name, qualified := strings.Cut(sym, ".")
	if !qualified {
		typ, name = "", sym
	}
	var out []ast.Node
	switch d := d.(type) {
	case *ast.FuncDecl:
		recv := receiverType(d)
		if d.Name.Name == name && (typ == "" || typ == recv) {
			out = append(out, d)
		}
	case *ast.GenDecl:
		if qualified {
			return nil
		}
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				if s.Name.Name == name {
					out = append(out, declOf(d, s))
				}
			case *ast.ValueSpec:
				for _, id := range s.Names {
					if id.Name == name {
						out = append(out, declOf(d, s))
					}
				}
			}
		}
	}
	return out
}

// declOf is the whole declaration when it has one spec, so that its doc
// comment comes along; the spec alone inside a group.
func declOf(d *ast.GenDecl, s ast.Spec) ast.Node {
	if len(d.Specs) == 1 {
		return d
	}
	return s
}

func receiverType(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return ""
	}
	t := d.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if idx, ok := t.(*ast.IndexExpr); ok { // generic receiver T[P]
		t = idx.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func docOf(n ast.Node) *ast.CommentGroup {
	switch n := n.(type) {
	case *ast.FuncDecl:
		return n.Doc
	case *ast.GenDecl:
		return n.Doc
	case *ast.TypeSpec:
		return n.Doc
	case *ast.ValueSpec:
		return n.Doc
	}
	return nil
}
