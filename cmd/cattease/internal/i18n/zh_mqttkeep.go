package i18n

import "maps"

// zhMQTTKeep: the agent's file of the run side's holds written again
// until it is kept, and the run side's warning meanwhile.
var zhMQTTKeep = map[string]string{
	"the run side's stop and laser forbid are kept on the Pi again": "整场那边的急停和激光禁止又保存在树莓派上了",
	"the agent cannot keep the run's stop and laser forbid on the Pi's disk (its log says why: a full SD card, a read-only file system): they hold on the Pi, but an agent restarted before it can would not find those given or lifted since; it tries again every second": "agent 没法把整场的急停和激光禁止保存到树莓派的磁盘上（原因见 agent 的日志：SD 卡满了、文件系统只读）：它们在树莓派上照样有效，但在保存成功之前 agent 一重启，就会找不到此后给出或解除的那些；它每秒再试一次",
	"the agent keeps the run's stop and laser forbid on the Pi's disk again":                                                     "agent 又把整场的急停和激光禁止保存到树莓派的磁盘上了",
	"the agent's keeper of the run side's holds":                                                                                 "agent 保存整场那边急停和禁止的循环",
	"the run side's stop and laser forbid kept by an older cattease under the laser pins' key are kept under the rig's name now": "旧版 cattease 按激光针脚保存的整场那边的急停和激光禁止，现在按装置名保存",
	"no run side's stop or laser forbid is kept on the Pi for this rig, but another agent's file of them is there: another rig's on this machine, or this rig's under another rig name or base topic; if it was this rig's, its stop and forbid do not hold here: give the rig its name back, or stop and forbid it from the run side if it should be": "树莓派上没有保存这套装置的整场急停或激光禁止，但这里有另一个 agent 的这种文件：这台机器上另一套装置的，或者这套装置换装置名或基础主题之前的；如果是这套装置的，它的急停和禁止在这里不生效：把装置名改回来，或者需要的话从整场那边急停、禁止它",
	"taking over the run side's stop and forbids kept by an older cattease: %w": "接管旧版 cattease 保存的整场那边的急停和禁止：%w",
}

func init() { maps.Copy(zhMQTT, zhMQTTKeep) }
