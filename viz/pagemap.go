package viz

// The backend's file, page by page. etcd keeps its state in bbolt, a
// copy-on-write B+tree in one file of fixed-size pages: a write
// transaction never changes a page in place, it writes new pages and frees
// the old ones, which become reusable once no open read transaction can
// still see them ("pending" until then). The file never shrinks by
// itself, so after deletes and compactions much of it is free: its size
// (etcd: dbSize) stays while the size in use (dbSizeInUse) drops, until a
// defragmentation (etcd: Maintenance.Defragment) rewrites the live pages
// into a new, compact file. The grid's cells are sized for the biggest
// file of any member — defrag is local to one member, the others keep
// their big files — so a defragmented member's map is seen emptying out.
//
//	■ keys   ■ other buckets   ■ meta, freelist   ▒ pending   □ free
//	■■■□□▒▒■■□□□■□□□□  file 64 KiB · in use 24 KiB (38%)
//	[===============================]  file
//	[===========]                      in use

import (
	"fmt"
	"math"
	"strings"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/sim"
)

// BackendPanel is one member's backend file.
type BackendPanel struct {
	PanelFrame
	// DBSize is the file's size, InUse the bytes not free.
	DBSize, InUse int64
	Pages         []PageCell
	// SizeBar is the file, InUseBar the part of it in use, at one scale.
	SizeBar, InUseBar Rect
	Sizes             Text
	Key               []Swatch
	// Alarm names the raised alarms ("" when none), in Alarm colour.
	Alarm Text
}

// PageCell is one page.
type PageCell struct {
	Rect Rect
	Kind backend.PageKind
	Fill Color
	// Filled is the part of the page its node uses, 0 to 1.
	Filled float64
}

// Swatch is a colour and what it means.
type Swatch struct {
	Rect  Rect
	Fill  Color
	Label Text
}

// Page colours.
var (
	pageKeys    = Color{0x7F, 0xB2, 0xD6, 255} // the "key" bucket: the revisions
	pageOther   = Color{0x7F, 0xCE, 0xB9, 255} // the other buckets
	pageMeta    = Color{0xA9, 0xAB, 0xAE, 255}
	pagePending = Color{0xF2, 0xC1, 0x6B, 255}
	pageFree    = White
)

// PageColor is the colour of a page.
func PageColor(p backend.PageInfo) Color {
	switch p.Kind {
	case backend.PageFree:
		return pageFree
	case backend.PagePending:
		return pagePending
	case backend.PageBranch, backend.PageLeaf, backend.PageOverflow:
		if p.Bucket == "key" {
			return pageKeys
		}
		return pageOther
	}
	return pageMeta
}

// backendPanel lays out ns's backend in r.
// biggest is the most pages any member's file has.
func backendPanel(ns sim.NodeState, biggest int, r Rect, font float64) *BackendPanel {
	e := ns.Etcd
	p := &BackendPanel{PanelFrame: panelFrame(r, "Backend file of "+ns.Name+", page by page", font), DBSize: e.DBSize, InUse: e.DBSizeInUse}
	body := panelBody(p.PanelFrame, font)
	small := font * 0.62
	lineH := small * 1.5
	p.Key = pageKey(Rect{body.X, body.Y, body.W, lineH}, small)
	textH := lineH * 2.6
	if len(e.Alarms) > 0 {
		textH += lineH
	}
	grid := Rect{body.X, body.Y + lineH, body.W, math.Max(body.H-lineH-textH, 0)}
	p.Pages = pageGrid(e.Pages, biggest, grid)
	y := grid.Y + grid.H + small*0.6
	sizes := fmt.Sprintf("%d pages · file %s · in use %s", len(e.Pages), kib(e.DBSize), kib(e.DBSizeInUse))
	if e.DBSize > 0 {
		sizes += fmt.Sprintf(" (%d%%)", 100*e.DBSizeInUse/e.DBSize)
	}
	p.Sizes = Text{S: truncate(sizes, body.W, small), At: Point{body.X, y + small*0.3}, Size: small, Color: Ink}
	y += lineH
	p.SizeBar = Rect{body.X, y, body.W, small * 0.45}
	if e.DBSize > 0 {
		p.InUseBar = Rect{body.X, y + small*0.65, body.W * float64(e.DBSizeInUse) / float64(e.DBSize), small * 0.45}
	}
	y += lineH
	var alarms []string
	for _, a := range e.Alarms {
		alarms = append(alarms, fmt.Sprintf("%s raised by %s", a.Alarm, sim.Name(a.MemberID)))
	}
	if len(alarms) > 0 {
		p.Alarm = Text{S: truncate("ALARM "+strings.Join(alarms, ", "), body.W, small), At: Point{body.X, y + small*0.4}, Size: small, Color: Alarm, Bold: true}
	}
	return p
}

// pageKey is the colour key, in one row.
func pageKey(r Rect, size float64) []Swatch {
	keys := []struct {
		c Color
		s string
	}{{pageKeys, "keys"}, {pageOther, "other buckets"}, {pageMeta, "meta"}, {pagePending, "pending"}, {pageFree, "free"}}
	x := r.X
	var out []Swatch
	for _, k := range keys {
		out = append(out, Swatch{Rect: Rect{x, r.Y + r.H/2 - size*0.4, size * 0.8, size * 0.8}, Fill: k.c,
			Label: Text{S: k.s, At: Point{x + size*1.1, r.Y + r.H/2}, Size: size, Color: MutedInk}})
		x += size*1.9 + textWidth(k.s, size)
	}
	return out
}

// pageGrid lays pages out row by row in r, with cells sized for biggest
// pages rounded up to a power of two (at least 16), so that the cells stay
// put while a file grows or shrinks a little.
func pageGrid(pages []backend.PageInfo, biggest int, r Rect) []PageCell {
	slots := 16
	for slots < max(len(pages), biggest) {
		slots *= 2
	}
	side := math.Floor(math.Sqrt(r.W * r.H / float64(slots)))
	for side > 2 && math.Floor(r.W/side)*math.Floor(r.H/side) < float64(slots) {
		side--
	}
	side = math.Min(side, 28)
	cols := int(math.Max(math.Floor(r.W/side), 1))
	out := make([]PageCell, 0, len(pages))
	for i, pg := range pages {
		rc := Rect{r.X + float64(i%cols)*side, r.Y + float64(i/cols)*side, side - 1, side - 1}
		fill := 0.0
		if pg.Kind >= backend.PageBranch {
			fill = clamp(float64(pg.FillBytes)/core.BackendPageBytes, 0.1, 1)
		}
		out = append(out, PageCell{Rect: rc, Kind: pg.Kind, Fill: PageColor(pg), Filled: fill})
	}
	return out
}

// mostPages is the page count of the biggest file in the cluster.
func mostPages(st sim.State) int {
	n := 0
	for _, ns := range st.Nodes {
		if ns.Etcd != nil {
			n = max(n, len(ns.Etcd.Pages))
		}
	}
	return n
}

// kib writes a size in KiB (bytes below 1 KiB).
func kib(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/1024)
}
