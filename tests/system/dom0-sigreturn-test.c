/*
 * dom0-sigreturn-test: an unprivileged process in dom0 that forges its
 * signal context must die alone.  Run in dom0 by the system tests
 * (dom0-checks.batch), on Xen 4.17 and on Subfloor.
 *
 *   dom0-sigreturn-test
 *
 * A child drops to an unprivileged user, takes a signal, and in the
 * handler sets the saved CS to 0xfff3, a selector beyond the GDT; its
 * rt_sigreturn then asks the kernel to return there.  A PV kernel returns
 * to user mode by HYPERVISOR_iret, so it is the hypervisor's IRETQ that
 * refuses the selector: the fault must come back to the kernel as the
 * process's #GP, which Linux answers with SIGSEGV.  The parent checks
 * that the child died by SIGSEGV and that it (and so the machine) lives
 * on.
 *
 * Output: "PASS sigreturn: ..." or "FAIL sigreturn: ..."; exit status 0
 * when it passed, 1 otherwise.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORGED_CS 0xfff3        /* index 0x1ffe: past any GDT's limit */
#define NOBODY 65534

static void forge_cs(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;

    (void)sig;
    (void)info;
    /* REG_CSGSFS holds cs in its low 16 bits (then gs, fs, ss). */
    uc->uc_mcontext.gregs[REG_CSGSFS] =
        (uc->uc_mcontext.gregs[REG_CSGSFS] & ~0xffffll) | FORGED_CS;
}

static void child(void)
{
    struct sigaction sa;

    /* Unprivileged, as any process could do it. */
    if (setgid(NOBODY) || setuid(NOBODY))
        _exit(3);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = forge_cs;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGUSR1, &sa, NULL))
        _exit(4);
    raise(SIGUSR1);
    /* Only if the return to CS 0xfff3 somehow worked. */
    _exit(5);
}

int main(void)
{
    int status;

    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0)
        child();
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 1;
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) {
        printf("PASS sigreturn: the child that returned to CS %#x died by SIGSEGV; its parent "
               "lives on\n", FORGED_CS);
        return 0;
    }
    if (WIFSIGNALED(status))
        printf("FAIL sigreturn: the child died by signal %d, not SIGSEGV\n", WTERMSIG(status));
    else
        printf("FAIL sigreturn: the child exited with status %d\n", WEXITSTATUS(status));
    return 1;
}
