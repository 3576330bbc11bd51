package viz

// Layout: where things go on the screen. The page is cut into a header, the
// cluster, the log strips and a footer; wide windows put the strips beside
// the cluster, tall ones below it. Voters sit on a circle, in id order,
// clockwise from the top, so a node keeps its place while the others change
// role; learners (and members not yet or no longer voting) sit apart on a
// row under the circle, because they take no part in elections or quorums
// (thesis §4.2.1).
//
//	+--------------------------- header ---------------------------+
//	|            n1                 |  logs  1  2  3  4  5  6      |
//	|      n5          n2           |  n1   [1][1][2][2][3]        |
//	|                               |  n2   [1][1][2][2][3]        |
//	|        n4      n3             |  ...                         |
//	|   learners:  (n6)             |                              |
//	+--------------------------- footer ---------------------------+

import (
	"math"

	"github.com/etcdlab/etcdlab/core/raft"
)

// FontSize is the base text size for a window of w x h pixels: 18px on a
// 1280x800 laptop window, scaling with the window so that a projector at
// 1920x1080 gets 24px, a portrait 800x1000 frame 14px, and a small
// embedded frame stays legible.
func FontSize(w, h float64) float64 {
	long, short := math.Max(w, h), math.Min(w, h)
	unit := math.Min(long/1280, short/800)
	return clamp(18*unit, 11, 64)
}

// regions splits a w x h page into its parts. The side (beside the cluster
// on a wide page, under it on a tall one) holds the log strips and, in etcd
// mode, the etcd panels under them.
type regions struct {
	header, cluster, strips, etcd, footer Rect
}

func pageRegions(w, h, font float64, showLog, showEtcd bool) regions {
	headerH, footerH := 3.3*font, 1.9*font
	body := Rect{0, headerH, w, math.Max(h-headerH-footerH, 0)}
	r := regions{
		header:  Rect{0, 0, w, headerH},
		footer:  Rect{0, h - footerH, w, footerH},
		cluster: body,
	}
	if !showLog && !showEtcd {
		return r
	}
	var side Rect
	wide := w >= 1.15*h
	switch {
	case wide && showEtcd:
		cw := math.Round(body.W * 0.42)
		r.cluster, side = Rect{body.X, body.Y, cw, body.H}, Rect{body.X + cw, body.Y, body.W - cw, body.H}
	case wide:
		cw := math.Round(body.W * 0.5)
		r.cluster, side = Rect{body.X, body.Y, cw, body.H}, Rect{body.X + cw, body.Y, body.W - cw, body.H}
	default:
		ch := math.Round(body.H * 0.55)
		if showEtcd {
			ch = math.Round(body.H * 0.42)
		}
		r.cluster, side = Rect{body.X, body.Y, body.W, ch}, Rect{body.X, body.Y + ch, body.W, body.H - ch}
	}
	switch {
	case showLog && showEtcd:
		sh := math.Round(side.H * 0.4)
		r.strips, r.etcd = Rect{side.X, side.Y, side.W, sh}, Rect{side.X, side.Y + sh, side.W, side.H - sh}
	case showLog:
		r.strips = side
	default:
		r.etcd = side
	}
	return r
}

// Placement is where a node is drawn.
type Placement struct {
	Center Point
	Radius float64
	// Apart: drawn on the row under the circle (learner, joining, removed).
	Apart bool
}

// Layout places the voters on a circle and the others on a row under it,
// inside area. Nodes never overlap and stay inside area for 1 to 9 nodes;
// the result depends only on the ids and the area.
func Layout(voters, apart []raft.NodeID, area Rect) map[raft.NodeID]Placement {
	out := make(map[raft.NodeID]Placement, len(voters)+len(apart))
	circle := area
	var row Rect
	if len(apart) > 0 {
		rowH := math.Min(area.H*0.24, area.W/float64(len(apart))*0.5)
		circle.H -= rowH
		row = Rect{area.X, area.Y + circle.H, area.W, rowH}
	}
	r := nodeRadius(len(voters), circle)
	if len(apart) > 0 {
		r = math.Min(r, row.H*0.33)
	}
	for i, p := range circlePoints(len(voters), circle, r) {
		out[voters[i]] = Placement{Center: p, Radius: r}
	}
	for i, id := range apart {
		slot := row.W / float64(len(apart))
		c := Point{row.X + slot*(float64(i)+0.5), row.Y + row.H*0.42}
		out[id] = Placement{Center: c, Radius: math.Min(r, slot*0.3), Apart: true}
	}
	return out
}

// circleFit is the radius of the circle the node centres lie on: the area's
// inscribed circle, less room for a node and the captions under it.
func circleFit(area Rect, nodeR float64) float64 {
	return math.Max(math.Min(area.W, area.H)/2-nodeR*2.1, 0)
}

// nodeRadius is the largest node radius that keeps n nodes on the circle of
// area apart by at least a node's diameter of air.
func nodeRadius(n int, area Rect) float64 {
	side := math.Min(area.W, area.H)
	r := side * 0.085
	if n <= 1 {
		return r
	}
	for r > 2 {
		R := circleFit(area, r)
		chord := 2 * R * math.Sin(math.Pi/float64(n))
		if chord >= 3.6*r {
			break
		}
		r *= 0.95
	}
	return r
}

// circlePoints are n points clockwise from the top of the circle that fits
// area (one point: the centre).
func circlePoints(n int, area Rect, nodeR float64) []Point {
	c := area.Center()
	c.Y -= nodeR * 0.35 // captions hang under the nodes
	if n == 1 {
		return []Point{c}
	}
	R := circleFit(area, nodeR)
	pts := make([]Point, n)
	for i := range pts {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		pts[i] = Point{c.X + R*math.Cos(a), c.Y + R*math.Sin(a)}
	}
	return pts
}
