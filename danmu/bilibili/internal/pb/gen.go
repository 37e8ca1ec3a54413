// Package pb holds the protobuf messages Bilibili embeds, base64-encoded,
// in some JSON commands. interact.pb.go is generated from interact.proto by
// protoc (Debian package protobuf-compiler) and protoc-gen-go at the
// google.golang.org/protobuf version go.mod pins.
package pb

//go:generate go build -o protoc-gen-go.tmp google.golang.org/protobuf/cmd/protoc-gen-go
//go:generate protoc --plugin=protoc-gen-go=protoc-gen-go.tmp --go_out=. --go_opt=paths=source_relative interact.proto
//go:generate rm -f protoc-gen-go.tmp
