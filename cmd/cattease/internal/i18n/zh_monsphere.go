package i18n

import "maps"

// zhMonSphere: what `cattease verify` and replay's check say since the
// keep-out margin is an angle between beams (actuators/monitor).
var zhMonSphere = map[string]string{
	"lit dot (%.4g°, %.4g°) is %.4g° of beam angle from the zone, within the margin %.4g°": "亮着的光点 (%.4g°, %.4g°) 离禁区只有 %.4g°（光束夹角），在边距 %.4g° 之内",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonSphere) }
