/* The attacker's library of HostileTmpdirIT: proves that it ran by appending a line to MARKER. */
#include <fcntl.h>
#include <unistd.h>

__attribute__((constructor)) static void ran(void) {
    int fd = open(MARKER, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        (void) write(fd, "ran\n", 4);
        close(fd);
    }
}
