// Package pca9685 drives hobby servos through an NXP PCA9685 16-channel PWM
// controller on I²C: the Adafruit Servo HAT/Bonnet and its clones.
//
// periph.io/x/devices/v3/pca9685 speaks the bus protocol (init, per-channel
// writes, full-off). This package adds what periph gets wrong or lacks (see
// the PCA9685 notes in docs/hardware.md):
//
//   - the datasheet prescale for 50 Hz, round(osc/(4096·50)) − 1, from a
//     configurable oscillator frequency (periph writes 122 for 25 MHz, a
//     49.6 Hz frame; real chips' oscillators are off by several percent);
//   - pulse → tick math in int64, so 32-bit ARM does not overflow;
//   - detach and halt through the channel's full-off bit, never through
//     periph's gpio.PinIO wrapper, whose Out/Halt panic (divide by zero) and
//     would otherwise switch the channel fully on;
//   - a servo write that fails part-way is followed by a write of the
//     channel's full-off bit: the chip keeps every byte it acknowledged,
//     and a new OFF_L under the old OFF_H can be a pulse far past the
//     calibration;
//   - an emergency stop through the ALL_LED_OFF register: one 2-byte write
//     that stops the pulses on all 16 channels, usable from a fresh process
//     without re-initialising the chip (EmergencyStop).
//
// A Board borrows its i2c.Bus: the caller opens and closes it.
package pca9685
