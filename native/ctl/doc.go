// Package ctl is etcdctl's surface, written down once: the shapes in which
// the client commands of etcdlab print their answers, and the small input
// languages they read (the flags of get/put/del and the interactive txn
// syntax). The commands in native/cmd/etcdlab do the talking to a cluster;
// this package only turns requests into clientv3 operations and responses
// into text, so that a script written against etcdctl reads etcdlab the same.
//
// # Output formats
//
// Every answer can be printed in one of four shapes, chosen by -w:
//
//	simple   one line per fact, the way a person reads it     (default)
//	fields   "Name" : value lines, one field per line, for grep and awk
//	json     the gRPC response marshalled as JSON, bytes as base64
//	table    a boxed table, for the list-like answers only
//
//	        +-----------------+------------------+
//	        |    ENDPOINT     |        ID        |   header: upper case, centred
//	        +-----------------+------------------+
//	        | 127.0.0.1:2379  | 8e9e05c52164694d |   cells: right aligned
//	        +-----------------+------------------+
//
// A format a verb does not have (a table of a put) is an operating error
// with etcdctl's exit code 4, printed after the request was done, as etcdctl
// does. The binary protobuf format of etcdctl is not offered.
//
// # Exit codes
//
// exit.go keeps etcdctl's exit codes (1 error, 2 bad connection, 3 invalid
// input, 4 bad feature, 5 interrupted, 128 bad arguments); commands return an
// *CodedError and the caller prints "Error: ..." and exits with its code.
//
// # Deviations from etcdctl 3.4, and why
//
//   - `endpoint health` prints healthy endpoints to stdout (etcdctl 3.4 wrote
//     them to stderr; 3.5 moved them to stdout, which is what scripts expect).
//   - `alarm list -w fields` on an answer without a header prints no header
//     lines (etcdctl 3.4 crashes with a nil pointer there).
//   - `get --count-only` exists (etcdctl 3.5 semantics: only with -w fields).
//   - Table cells longer than 30 characters are wrapped greedily at spaces;
//     etcdctl's table library minimises raggedness instead, so a long error
//     message may break at a different word.
//   - A txn compare on a lease, lease("key") = "id", reads the ID in
//     hexadecimal like every other lease ID on the command line.
//   - -w protobuf is refused with a clear error.
package ctl
