package lockelect

// Between message.go's Go structs and protobuf messages built at run
// time from descriptor.go (dynamicpb), which gRPC's codec encodes like any
// generated message:
//
//	LockResponse{Header, Key} ──toWire──> dynamicpb.Message ──gRPC──> bytes
//	                          <─fromWire─
//
// A struct is paired with the descriptor message of the same name, and
// each field with the descriptor field named in its `proto` tag. Bytes and
// int64 fields copy as they are; our own nested messages (LeaderKey)
// recurse; etcd's generated messages (ResponseHeader, KeyValue) are copied
// by their wire form, which their descriptor describes exactly.

import (
	"bytes"
	"reflect"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// etcdMessage is a message generated in go.etcd.io/etcd/api/v3 (gogo).
type etcdMessage interface {
	Marshal() ([]byte, error)
	Unmarshal([]byte) error
}

// descriptorOf is the message named like the Go struct type t.
func descriptorOf(t reflect.Type) protoreflect.MessageDescriptor {
	for _, f := range []protoreflect.FileDescriptor{lockFile, electionFile} {
		if md := f.Messages().ByName(protoreflect.Name(t.Name())); md != nil {
			return md
		}
	}
	panic("lockelect.descriptorOf: no message named " + t.Name())
}

// fieldOf is the descriptor field named in the struct field's proto tag.
func fieldOf(md protoreflect.MessageDescriptor, sf reflect.StructField) protoreflect.FieldDescriptor {
	fd := md.Fields().ByName(protoreflect.Name(sf.Tag.Get("proto")))
	if fd == nil {
		panic("lockelect.fieldOf: " + string(md.FullName()) + " has no field for " + sf.Name)
	}
	return fd
}

// toWire builds the protobuf message of v, a pointer to a message.go struct.
func toWire(v any) *dynamicpb.Message {
	rv := reflect.ValueOf(v).Elem()
	m := dynamicpb.NewMessage(descriptorOf(rv.Type()))
	for i := 0; i < rv.NumField(); i++ {
		fv := rv.Field(i)
		if fv.IsZero() {
			continue // proto3 sends no zero values
		}
		fd := fieldOf(m.Descriptor(), rv.Type().Field(i))
		switch x := fv.Interface().(type) {
		case []byte:
			m.Set(fd, protoreflect.ValueOfBytes(x))
		case int64:
			m.Set(fd, protoreflect.ValueOfInt64(x))
		case etcdMessage:
			m.Set(fd, protoreflect.ValueOfMessage(etcdToWire(x, m.NewField(fd).Message())))
		default:
			m.Set(fd, protoreflect.ValueOfMessage(toWire(x)))
		}
	}
	return m
}

// etcdToWire copies an etcd message into sub, an empty message of the
// same protobuf type, through its encoding.
func etcdToWire(x etcdMessage, sub protoreflect.Message) protoreflect.Message {
	b, err := x.Marshal()
	if err == nil {
		err = proto.Unmarshal(b, sub.Interface())
	}
	if err != nil {
		panic("lockelect.etcdToWire: " + string(sub.Descriptor().FullName()) + " does not round-trip: " + err.Error())
	}
	return sub
}

// fromWire fills v, a pointer to a message.go struct, from m.
func fromWire(m protoreflect.Message, v any) error {
	rv := reflect.ValueOf(v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		fd := fieldOf(m.Descriptor(), rv.Type().Field(i))
		if !m.Has(fd) {
			continue
		}
		fv := rv.Field(i)
		switch fd.Kind() {
		case protoreflect.BytesKind:
			fv.SetBytes(bytes.Clone(m.Get(fd).Bytes()))
		case protoreflect.Int64Kind:
			fv.SetInt(m.Get(fd).Int())
		case protoreflect.MessageKind:
			fv.Set(reflect.New(fv.Type().Elem()))
			if err := subFromWire(m.Get(fd).Message(), fv.Interface()); err != nil {
				return err
			}
		default:
			panic("lockelect.fromWire: unexpected kind of " + string(fd.FullName()))
		}
	}
	return nil
}

func subFromWire(sub protoreflect.Message, v any) error {
	x, ok := v.(etcdMessage)
	if !ok {
		return fromWire(sub, v)
	}
	b, err := proto.Marshal(sub.Interface())
	if err != nil {
		return err
	}
	return x.Unmarshal(b)
}
