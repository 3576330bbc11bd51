package mvcc

// Requests and responses of the key space, field for field those of etcd's
// KV service (etcdserverpb.RangeRequest, PutRequest, DeleteRangeRequest,
// TxnRequest, Compare and their responses), so that native/api maps them
// one to one. Key ranges: RangeEnd empty is the single Key; RangeEnd "\x00"
// is every key >= Key; otherwise [Key, RangeEnd) — the prefix "foo" is
// [foo, fop). Key "\x00" with RangeEnd "\x00" is every key.

// SortOrder orders Range results (etcd: RangeRequest.SortOrder).
type SortOrder uint8

const (
	SortNone SortOrder = iota
	SortAscend
	SortDescend
)

// SortTarget is the field Range sorts by (etcd: RangeRequest.SortTarget).
type SortTarget uint8

const (
	SortByKey SortTarget = iota
	SortByVersion
	SortByCreate
	SortByMod
	SortByValue
)

// RangeRequest reads keys.
type RangeRequest struct {
	Key, RangeEnd []byte
	// Limit bounds the keys returned (0: no limit); More tells if there
	// were more.
	Limit int64
	// Revision is the point in time to read (0 or less: now).
	Revision   int64
	SortOrder  SortOrder
	SortTarget SortTarget
	KeysOnly   bool // no values
	CountOnly  bool // only the count
	// Filters on the keys returned, applied after the read: they do not
	// change Count (etcd applies them in the apply layer, after mvcc).
	MinModRevision, MaxModRevision       int64
	MinCreateRevision, MaxCreateRevision int64
}

// RangeResponse answers a RangeRequest.
type RangeResponse struct {
	Revision int64 // the store's current revision (the header revision)
	Kvs      []KeyValue
	More     bool  // more keys matched than Limit allowed
	Count    int64 // keys in the range at the revision read, before filters and limit
}

// PutRequest writes one key.
type PutRequest struct {
	Key, Value []byte
	Lease      int64
	PrevKV     bool // return the key/value before the put
	// IgnoreValue keeps the current value; IgnoreLease keeps the current
	// lease. Both need the key to exist.
	IgnoreValue, IgnoreLease bool
}

// PutResponse answers a PutRequest.
type PutResponse struct {
	Revision int64
	PrevKV   *KeyValue
}

// DeleteRangeRequest deletes keys.
type DeleteRangeRequest struct {
	Key, RangeEnd []byte
	PrevKV        bool // return the deleted key/values
}

// DeleteRangeResponse answers a DeleteRangeRequest.
type DeleteRangeResponse struct {
	Revision int64
	Deleted  int64
	PrevKVs  []KeyValue
}

// CompareTarget is the field a Compare tests.
type CompareTarget uint8

const (
	CompareVersion CompareTarget = iota
	CompareCreate
	CompareMod
	CompareValue
	CompareLease
)

// CompareResult is the relation a Compare tests.
type CompareResult uint8

const (
	CompareEqual CompareResult = iota
	CompareGreater
	CompareLess
	CompareNotEqual
)

// Compare is one condition of a Txn: Target of the key (every key of the
// range, if RangeEnd is set) stands in relation Result to the operand of
// that target.
type Compare struct {
	Key, RangeEnd []byte
	Target        CompareTarget
	Result        CompareResult
	// The operand: the field named by Target is used.
	Value                                []byte
	Version, CreateRevision, ModRevision int64
	Lease                                int64
}

// Op is one operation of a Txn: exactly one field is set.
type Op struct {
	Range       *RangeRequest
	Put         *PutRequest
	DeleteRange *DeleteRangeRequest
	Txn         *TxnRequest
}

// TxnRequest: if every Compare holds, run Success, else Failure — all at one
// revision.
type TxnRequest struct {
	Compare []Compare
	Success []Op
	Failure []Op
}

// OpResponse answers one Op: the field of the Op's kind is set.
type OpResponse struct {
	Range       *RangeResponse
	Put         *PutResponse
	DeleteRange *DeleteRangeResponse
	Txn         *TxnResponse
}

// TxnResponse answers a TxnRequest. Revision is set on the outermost only,
// as etcd fills the header of the outermost response only.
type TxnResponse struct {
	Revision  int64
	Succeeded bool
	Responses []OpResponse
}
