package i18n

import "maps"

// zhMonAlias: what `cattease verify` and replay's check say since the
// keep-out margin holds along every lit move, not only at its ends
// (actuators/monitor).
var zhMonAlias = map[string]string{
	"lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) passes %.4g° of beam angle from the zone at (%.4g°, %.4g°), within the margin %.4g°": "亮着的光点从 (%.4g°, %.4g°) 移到 (%.4g°, %.4g°) 的路上，在 (%.4[6]g°, %.4[7]g°) 离禁区只有 %.4[5]g°（光束夹角），在边距 %.4[8]g° 之内",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonAlias) }
