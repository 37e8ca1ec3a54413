package i18n

import "maps"

// zhMQTTKeep: the agent's file of the run side's holds written again
// until it is kept, and the run side's warning meanwhile.
var zhMQTTKeep = map[string]string{
	"the run side's stop and laser forbid are kept on the Pi again": "整场那边的急停和激光禁止又保存在树莓派上了",
	"the agent cannot keep the run's stop and laser forbid on the Pi's disk (its log says why: a full SD card, a read-only file system): they hold on the Pi, but an agent restarted before it can would not find those given or lifted since; it tries again every second": "agent 没法把整场的急停和激光禁止保存到树莓派的磁盘上（原因见 agent 的日志：SD 卡满了、文件系统只读）：它们在树莓派上照样有效，但在保存成功之前 agent 一重启，就会找不到此后给出或解除的那些；它每秒再试一次",
	"the agent keeps the run's stop and laser forbid on the Pi's disk again": "agent 又把整场的急停和激光禁止保存到树莓派的磁盘上了",
	"the agent's keeper of the run side's holds":                             "agent 保存整场那边急停和禁止的循环",
}

func init() { maps.Copy(zhMQTT, zhMQTTKeep) }
