package bilibilitest

import (
	"bytes"
	"compress/zlib"

	"github.com/andybalholm/brotli"

	"github.com/cattease/cattease/danmu/bilibili"
)

// Frame returns one packet (header + body) with the given version and
// operation, e.g. Frame(0, 5, body) for an uncompressed command.
func Frame(ver uint16, op uint32, body []byte) []byte {
	return bilibili.AppendPacket(nil, ver, op, body)
}

// inner concatenates the bodies as plain op-5 packets.
func inner(bodies [][]byte) []byte {
	var b []byte
	for _, body := range bodies {
		b = bilibili.AppendPacket(b, bilibili.VerJSON, bilibili.OpMessage, body)
	}
	return b
}

// BrotliFrame packs the command bodies as plain packets inside one
// brotli-compressed op-5 packet, as Bilibili batches them for protover 3.
func BrotliFrame(bodies ...[]byte) []byte {
	var z bytes.Buffer
	w := brotli.NewWriterLevel(&z, 5)
	_, _ = w.Write(inner(bodies))
	_ = w.Close()
	return Frame(bilibili.VerBrotli, bilibili.OpMessage, z.Bytes())
}

// ZlibFrame is BrotliFrame with zlib (protover 2, the open platform).
func ZlibFrame(bodies ...[]byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write(inner(bodies))
	_ = w.Close()
	return Frame(bilibili.VerZlib, bilibili.OpMessage, z.Bytes())
}
