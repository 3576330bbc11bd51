package lessons

// The catalog: every lesson folder, embedded in the binary, parsed and
// validated, in order of their ids; and the JSON the web pages read
// (site/dist/lessons.json, or /lessons.json from `etcdlab lessons`).

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// LessonFile is the name of the lesson file inside each lesson folder.
const LessonFile = "lesson.md"

//go:embed */lesson.md
var files embed.FS

// All returns every embedded lesson, parsed and validated, sorted by id.
func All() ([]*Lesson, error) {
	dirs, err := fs.Glob(files, "*/"+LessonFile)
	if err != nil {
		panic("lessons.All: bad glob: " + err.Error())
	}
	sort.Strings(dirs)
	var out []*Lesson
	for _, p := range dirs {
		src, err := files.ReadFile(p)
		if err != nil {
			return nil, err
		}
		l, err := Parse(path.Dir(p), "lessons/"+p, src)
		if err != nil {
			return nil, err
		}
		if err := Validate(l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// Catalog is the JSON document the site reads.
type Catalog struct {
	Lessons []*Lesson `json:"lessons"`
}

// JSON returns the catalog of every lesson as indented JSON. With a
// non-nil root (the module's source tree) every anchor also carries its
// code; without one, anchors carry only their names.
func JSON(root fs.FS) ([]byte, error) {
	all, err := All()
	if err != nil {
		return nil, err
	}
	if root != nil {
		for _, l := range all {
			for i := range l.Steps {
				for j := range l.Steps[i].Anchors {
					if err := Resolve(root, &l.Steps[i].Anchors[j]); err != nil {
						return nil, fmt.Errorf("lesson %s, step %d: %w", l.ID, i+1, err)
					}
				}
			}
		}
	}
	return json.MarshalIndent(Catalog{Lessons: all}, "", "  ")
}
