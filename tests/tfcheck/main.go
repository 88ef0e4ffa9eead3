// tfcheck - what Terraform does with a module's variables and -var-files,
// on HashiCorp's own HCL parser (Debian's golang-github-hashicorp-hcl-v2-dev)
// and cty's type conversion (golang-github-zclconf-go-cty-dev), with no
// provider and no network.
//
//	tfcheck vars MODULE_DIR FILE.tfvars...
//	    Reads every variable block of MODULE_DIR/*.tf (type constraint,
//	    default) and the files in order, each set variable replacing the
//	    whole value an earlier file gave (Terraform's rule for -var-file).
//	    Fails (exit 1, "file:line:col: why" on stderr) for a file that is
//	    not HCL, a value that is not a literal, a variable the module does
//	    not declare (Terraform only warns there; we refuse), a required
//	    variable left unset, or a value its type constraint refuses.
//	    Prints the effective variables, converted to their types, as JSON.
//	    With -undeclared-warn first, an undeclared variable is only a
//	    warning on stderr, as in Terraform (for a module that is only a part
//	    of the root module the file feeds: idf_deploy's GKE environments).
//	tfcheck modules MODULE_DIR FILE.tfvars...
//	    The same, then prints {module: {argument: value}} for every module
//	    block of MODULE_DIR whose arguments evaluate from var.* alone.
//	tfcheck refs MODULE_DIR
//	    Every var.NAME referenced in the module's .tf files is declared, and
//	    every declared variable is referenced; prints the variable names.
//	tfcheck attrs FILE.tfvars
//	    The file's attributes as JSON, in order: [[name, value], ...].
//
// Exit 2 on usage.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

type variable struct {
	name     string
	ty       cty.Type
	defaults *typeexpr.Defaults
	def      *cty.Value
	rng      hcl.Range
}

var parser = hclparse.NewParser()

// -undeclared-warn: a variable the module does not declare is a warning, as
// in Terraform (for a module that is only part of the root the file feeds).
var warnUndeclared bool

func fail(diags hcl.Diagnostics) {
	for _, d := range diags {
		where := ""
		if d.Subject != nil {
			where = fmt.Sprintf("%s:%d:%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		fmt.Fprintf(os.Stderr, "%s%s: %s\n", where, d.Summary, d.Detail)
	}
	os.Exit(1)
}

func failf(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", a...)
	os.Exit(1)
}

var rootSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "terraform"},
	{Type: "provider", LabelNames: []string{"name"}},
}}

func moduleFiles(dir string) []*hcl.File {
	names, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(names) == 0 {
		failf("%s: no .tf files", dir)
	}
	sort.Strings(names)
	var files []*hcl.File
	for _, n := range names {
		f, diags := parser.ParseHCLFile(n)
		if diags.HasErrors() {
			fail(diags)
		}
		files = append(files, f)
	}
	return files
}

// Terraform still accepts the bare legacy keywords list, map and set as
// list(any), map(any), set(any) (configs.decodeVariableType); HCL's
// typeexpr alone refuses them.
func typeOf(expr hcl.Expression) (cty.Type, *typeexpr.Defaults, hcl.Diagnostics) {
	switch hcl.ExprAsKeyword(expr) {
	case "list":
		return cty.List(cty.DynamicPseudoType), nil, nil
	case "map":
		return cty.Map(cty.DynamicPseudoType), nil, nil
	case "set":
		return cty.Set(cty.DynamicPseudoType), nil, nil
	}
	return typeexpr.TypeConstraintWithDefaults(expr)
}

func readVariables(files []*hcl.File) map[string]*variable {
	vars := map[string]*variable{}
	for _, f := range files {
		content, _, diags := f.Body.PartialContent(rootSchema)
		if diags.HasErrors() {
			fail(diags)
		}
		for _, b := range content.Blocks {
			if b.Type != "variable" {
				continue
			}
			v := &variable{name: b.Labels[0], ty: cty.DynamicPseudoType, rng: b.DefRange}
			attrs, diags := b.Body.JustAttributes()
			if diags.HasErrors() {
				// validation blocks: take the attributes we need
				c, _, d2 := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{
					{Name: "type"}, {Name: "default"}, {Name: "description"}}})
				if d2.HasErrors() {
					fail(d2)
				}
				attrs = c.Attributes
			}
			if a, ok := attrs["type"]; ok {
				ty, defs, d := typeOf(a.Expr)
				if d.HasErrors() {
					fail(d)
				}
				v.ty, v.defaults = ty, defs
			}
			if a, ok := attrs["default"]; ok {
				val, d := a.Expr.Value(nil)
				if d.HasErrors() {
					fail(d)
				}
				if !val.IsNull() {
					if v.defaults != nil {
						val = v.defaults.Apply(val)
					}
					cv, err := convert.Convert(val, v.ty)
					if err != nil {
						failf("%s:%d:%d: the default of variable %q does not conform to its type %s: %s",
							a.Range.Filename, a.Range.Start.Line, a.Range.Start.Column, v.name,
							typeexpr.TypeString(v.ty), err)
					}
					val = cv
				}
				v.def = &val
			}
			if _, dup := vars[v.name]; dup {
				failf("%s:%d: variable %q declared twice", v.rng.Filename, v.rng.Start.Line, v.name)
			}
			vars[v.name] = v
		}
	}
	return vars
}

type setting struct {
	val cty.Value
	rng hcl.Range
}

func readTfvars(name string) ([]string, map[string]setting) {
	f, diags := parser.ParseHCLFile(name)
	if diags.HasErrors() {
		fail(diags)
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() {
		fail(diags)
	}
	var order []string
	out := map[string]setting{}
	for n, a := range attrs {
		// nil context: a -var-file value that needs anything but literals fails
		val, d := a.Expr.Value(nil)
		if d.HasErrors() {
			fail(d)
		}
		out[n] = setting{val, a.Expr.Range()}
		order = append(order, n)
	}
	sort.Slice(order, func(i, j int) bool {
		return out[order[i]].rng.Start.Byte < out[order[j]].rng.Start.Byte
	})
	return order, out
}

func effective(dir string, tfvars []string) (map[string]*variable, map[string]cty.Value) {
	files := moduleFiles(dir)
	vars := readVariables(files)
	set := map[string]setting{}
	for _, name := range tfvars {
		_, s := readTfvars(name)
		for k, v := range s {
			if _, ok := vars[k]; !ok && warnUndeclared {
				fmt.Fprintf(os.Stderr, "%s:%d:%d: warning: the module %s declares no variable %q (Terraform ignores it)\n",
					v.rng.Filename, v.rng.Start.Line, v.rng.Start.Column, dir, k)
				continue
			} else if !ok {
				failf("%s:%d:%d: the module %s declares no variable %q", v.rng.Filename,
					v.rng.Start.Line, v.rng.Start.Column, dir, k)
			}
			set[k] = v // the whole variable, as Terraform replaces it
		}
	}
	vals := map[string]cty.Value{}
	var names []string
	for n := range vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := vars[n]
		s, ok := set[n]
		if !ok {
			if v.def == nil {
				failf("%s:%d: required variable %q (no default) is set by none of %s",
					v.rng.Filename, v.rng.Start.Line, n, strings.Join(tfvars, " "))
			}
			vals[n] = *v.def
			continue
		}
		val := s.val
		if v.defaults != nil {
			val = v.defaults.Apply(val)
		}
		cv, err := convert.Convert(val, v.ty)
		if err != nil {
			failf("%s:%d:%d: variable %q: the value does not conform to its type %s: %s",
				s.rng.Filename, s.rng.Start.Line, s.rng.Start.Column, n, typeexpr.TypeString(v.ty), err)
		}
		vals[n] = cv
	}
	return vars, vals
}

func toJSON(v cty.Value) json.RawMessage {
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		failf("json: %s", err)
	}
	return b
}

func printJSON(v interface{}) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		failf("json: %s", err)
	}
	fmt.Println(string(b))
}

func cmdVars(dir string, tfvars []string) {
	_, vals := effective(dir, tfvars)
	out := map[string]json.RawMessage{}
	for n, v := range vals {
		out[n] = toJSON(v)
	}
	printJSON(out)
}

func cmdModules(dir string, tfvars []string) {
	_, vals := effective(dir, tfvars)
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vals)}}
	out := map[string]map[string]json.RawMessage{}
	for _, f := range moduleFiles(dir) {
		content, _, _ := f.Body.PartialContent(rootSchema)
		for _, b := range content.Blocks {
			if b.Type != "module" {
				continue
			}
			attrs, diags := b.Body.JustAttributes()
			if diags.HasErrors() {
				fail(diags)
			}
			m := map[string]json.RawMessage{}
			for n, a := range attrs {
				val, d := a.Expr.Value(ctx)
				if d.HasErrors() || !val.IsWhollyKnown() {
					continue // depends on module.* or resources
				}
				m[n] = toJSON(val)
			}
			out[b.Labels[0]] = m
		}
	}
	printJSON(out)
}

func cmdRefs(dir string) {
	files := moduleFiles(dir)
	vars := readVariables(files)
	used := map[string]bool{}
	bad := false
	for _, f := range files {
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			failf("%s: not native HCL syntax", dir)
		}
		hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			e, ok := n.(hclsyntax.Expression)
			if !ok {
				return nil
			}
			for _, t := range e.Variables() {
				if t.RootName() != "var" || len(t) < 2 {
					continue
				}
				a, ok := t[1].(hcl.TraverseAttr)
				if !ok {
					continue
				}
				if _, ok := vars[a.Name]; !ok {
					r := t.SourceRange()
					fmt.Fprintf(os.Stderr, "%s:%d:%d: var.%s is not declared\n", r.Filename, r.Start.Line, r.Start.Column, a.Name)
					bad = true
				}
				used[a.Name] = true
			}
			return nil
		})
	}
	var names []string
	for n, v := range vars {
		if !used[n] {
			fmt.Fprintf(os.Stderr, "%s:%d: variable %q is never used\n", v.rng.Filename, v.rng.Start.Line, n)
			bad = true
		}
		names = append(names, n)
	}
	if bad {
		os.Exit(1)
	}
	sort.Strings(names)
	printJSON(names)
}

func cmdAttrs(name string) {
	order, s := readTfvars(name)
	var out [][]interface{}
	for _, n := range order {
		out = append(out, []interface{}{n, toJSON(s[n].val)})
	}
	printJSON(out)
}

func main() {
	a := os.Args[1:]
	if len(a) > 0 && a[0] == "-undeclared-warn" {
		warnUndeclared, a = true, a[1:]
	}
	switch {
	case len(a) >= 2 && a[0] == "vars":
		cmdVars(a[1], a[2:])
	case len(a) >= 2 && a[0] == "modules":
		cmdModules(a[1], a[2:])
	case len(a) == 2 && a[0] == "refs":
		cmdRefs(a[1])
	case len(a) == 2 && a[0] == "attrs":
		cmdAttrs(a[1])
	default:
		fmt.Fprintln(os.Stderr, "usage: tfcheck [-undeclared-warn] vars|modules MODULE_DIR FILE.tfvars... | refs MODULE_DIR | attrs FILE.tfvars")
		os.Exit(2)
	}
}
