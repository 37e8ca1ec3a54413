package i18n

// zhMQTTConnect: a broker connection that fails (closed port, unknown
// host, refused login, a .local name), told at Warn while it retries.
var zhMQTTConnect = map[string]string{
	"cannot connect to the broker; trying again": "连不上 MQTT 服务器，稍后重试",
	"the broker refused the login: check the user name and password (mqtt.credentials) and that the broker lets this user connect; trying again once a minute":                                   "MQTT 服务器拒绝登录：请检查用户名和密码（mqtt.credentials），以及服务器是否允许这个用户连接；每分钟重试一次",
	"cannot resolve the broker's .local name: cattease does not look up .local (mDNS) names; use the broker's IP address in the URL (Home Assistant shows it under Settings → System → Network)": "无法解析 MQTT 服务器的 .local 名字：cattease 不查询 .local（mDNS）名字；请在地址里改用服务器的 IP 地址（Home Assistant 的 设置 → 系统 → 网络 里能看到）",
}
