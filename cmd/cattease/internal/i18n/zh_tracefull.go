package i18n

import "maps"

// zhTraceFull: what run says when its --trace file's disk is full (or
// the file at its size limit): the trace writes a gap line at once,
// cutting off its last lines to make room if need be, so that the file
// ends in one even when the disk stays full (control.TraceCutter).
var zhTraceFull = map[string]string{
	"--trace: write failed; its lines are lost, and the trace ends in a gap line, cutting off its last lines to make room, until a write works again": "--trace：写入失败；在又能写入之前，轨迹行都会丢失，轨迹以一行 gap 结尾，必要时剪掉最后几行腾出地方",
	"--trace: the file cannot be cut back to make room for a gap line: on a disk that stays full, the trace may end without one":                      "--trace：无法把文件剪短来为 gap 行腾出地方：磁盘一直满的话，轨迹结尾可能没有 gap 行",
	"the file is %d bytes, shorter than the trace wrote": "文件只有 %d 字节，比轨迹写入的还短",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhTraceFull) }
