/*
 * icount: a qemu-user plugin that counts the guest instructions a program
 * executes and prints the total to stderr at exit ("icount: N"). Used by
 * .ci/isa-counts.sh to compare the Bilibili decode with its floor on the
 * Pis' instruction sets, where valgrind cannot run.
 *
 * The few declarations of QEMU's plugin API (version 1, QEMU 7.2 as in
 * Debian 12) are written out here, as Debian ships no header for them.
 * Each translated block adds its instruction count to one counter when it
 * runs. The add is not atomic: run the guest with GOMAXPROCS=1, and a Go
 * guest's other threads (sysmon and the like) may still lose a few counts
 * in a billion, which the figures do not notice.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct {
	const char *target_name;
	struct { int min, cur; } version;
	bool system_emulation;
	union { struct { int smp_vcpus, max_vcpus; } system; };
} qemu_info_t;

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t, void (*)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *, int op, void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t, void (*)(qemu_plugin_id_t, void *), void *);

enum { inline_add_u64 = 0 };

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t executed;

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, inline_add_u64, &executed, qemu_plugin_tb_n_insns(tb));
}

static void report(qemu_plugin_id_t id, void *unused)
{
	(void)id;
	(void)unused;
	fprintf(stderr, "icount: %llu\n", (unsigned long long)executed);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	(void)argc;
	(void)argv;
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, report, NULL);
	return 0;
}
