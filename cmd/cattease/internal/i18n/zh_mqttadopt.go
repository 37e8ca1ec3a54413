package i18n

import "maps"

// zhMqttAdopt: the run side taking as its own the holds an agent kept for
// it over a restart.
var zhMqttAdopt = map[string]string{
	"the agent holds the run's stop or laser forbid from before (kept on the Pi over a restart): it holds here too, until the run's resume (the panel's, chat's 继续) or the panel's laser switch lifts it": "agent 还留着之前整场的急停或激光禁止（树莓派重启后保存下来的）：这边也照样有效，直到整场的恢复（面板的、弹幕的 继续）或面板的激光开关解除它",
	"a rig holds the run's stop from before this start (its agent kept it over a restart): the run stops, until the run's resume (the panel's, chat's 继续)":                                                "有一套装置还留着本次启动前整场的急停（它的 agent 重启时保存下来的）：整场进入急停，直到整场的恢复（面板的、弹幕的 继续）",
}

func init() { maps.Copy(zhMQTT, zhMqttAdopt) }
