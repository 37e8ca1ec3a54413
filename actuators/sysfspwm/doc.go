// Package sysfspwm drives hobby servos through the Linux kernel PWM sysfs
// interface, /sys/class/pwm: the Pi 5's RP1 PWM (dtoverlay=pwm-2chan, 4
// channels) and the bcm2835 PWM of the Pi 0–4 (2 channels). periph.io has
// no sysfs PWM, so this is our own.
//
// The kernel ABI (Documentation/ABI/testing/sysfs-class-pwm) is a handful
// of files holding ASCII decimal nanoseconds:
//
//	pwmchipN/npwm, export, unexport, device -> …/1f00098000.pwm
//	pwmchipN/pwmM/period, duty_cycle, enable, polarity
//
// What this package gets right that others get wrong:
//
//   - the chip is found by its device name (the basename of
//     pwmchipN/device), because pwmchip numbers move between kernels (the Pi
//     5's was pwmchip2 on 6.6 and is pwmchip0 on 6.12);
//   - after export it waits (injectable) until udev has made the new files
//     writable, instead of a blind sleep;
//   - writes are ordered so no write is ever invalid. Linux applies the
//     whole channel state on every store and refuses any state with period
//     0, so on a channel whose period reads 0 (freshly exported after a
//     boot) the period goes first, since duty_cycle, enable and polarity
//     all fail with EINVAL until it is set; otherwise duty_cycle=0 first,
//     then polarity and period while disabled. duty_cycle goes before
//     enable=1 so the first enabled frame already has the right width;
//   - detach and halt write duty_cycle=0 then enable=0: a constant low
//     level even on controllers that leave the pin where it was when
//     disabled. Stop leaves a channel whose period reads 0 alone: it is
//     idle, and both writes would fail.
//   - a channel drives one axis: opening it again in the same process
//     before Close fails, so a duplicated channel number in the config
//     cannot make pan's commands move the tilt servo.
//
// sysfs state outlives the process: a crashed program leaves the last pulse
// running. `cattease halt` calls Stop from a fresh process for that. Stop
// can only reach an exported channel, and the kernel does not stop a PWM
// on unexport, so Close unexports only a channel it has stopped.
package sysfspwm
