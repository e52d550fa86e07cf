// SPDX-License-Identifier: GPL-2.0-only
/*
 * dtprobe: measure what the kernel really did, as an oracle for tests.
 *
 *   dtprobe [-w] [-s SIZE] [-a ALIGN] [-d DELTA] [-o FILEOFF] [-1] [-n] [-b]
 *           [-v] [-T] [-S] [-P SECONDS] [-m] [-R ROUNDS] [-F CHILDPATH]
 *           PATH OFFSET...
 *
 * Maps PATH (a file or a device-DAX device) shared, at a 2 MiB-aligned
 * address, from file offset 0. For each OFFSET (from the start of the
 * mapping), touches the byte there (a write with -w), then the next 4 KiB
 * page if it is in the same 2 MiB window, and prints one line:
 *
 *   OFFSET PHYS FAULTS_FIRST FAULTS_SECOND
 *
 * PHYS is the physical address of the byte, from /proc/self/pagemap (root
 * only; 0 otherwise); the fault counts are page faults (minor and
 * major) from getrusage.
 * A window mapped by one 2 MiB entry takes no fault on its second touch.
 *
 * Options for other layouts (sizes take K, M and G):
 *   -a ALIGN   map at a multiple of ALIGN instead of 2M (1G: a PUD
 *              boundary); -a 0 lets the kernel choose the address (no
 *              hint, no MAP_FIXED)
 *   -d DELTA   map DELTA bytes past that multiple (-a 1G -d 2M: 2 MiB- but
 *              not 1 GiB-aligned)
 *   -o FILEOFF map from file offset FILEOFF instead of 0
 *   -1         touch each offset once: no second touch, FAULTS_SECOND "-"
 *   -n         no pagemap: PHYS is "-".  Reading pagemap (or smaps) walks
 *              the page tables, and on a 1 GiB (PUD) entry the walk splits
 *              it, which for DAX zaps it: the next touch faults again
 *   -b         survive SIGBUS and SIGSEGV on a touch: the offset's line is
 *              "OFFSET SIGBUS CODE first|second" (or SIGSEGV), the exit
 *              status 3
 *   -v         say more on stdout: first "map ADDR LENGTH FILEOFF" (hex
 *              address), at the end "smaps KernelPageSize KB MMUPageSize
 *              KB Rss KB" for the mapping; if mmap fails, "mmap-failed
 *              ERRNO NAME" (exit status 1 as without -v)
 *   -T         tags: the first touch at each OFFSET (a multiple of 8) writes
 *              (with -w) or reads an 8-byte tag, the file offset FILEOFF +
 *              OFFSET; the line gets a fifth field, the tag read back.
 *              Which data a mapping shows: tag with -w through one mapping,
 *              read through another
 *   -S         after the touches, msync(MS_SYNC) the whole mapping and
 *              print "msync 0" (or "msync ERRNO NAME", exit 1): the
 *              write-back of what the touches dirtied
 *   -P SECONDS print "ready PID" once mapped, then wait SECONDS before
 *              the touches (another program attaches meanwhile)
 *   -m         (with -w) each first touch reads the byte, then writes it:
 *              a read fault, then the write to a page mapped read-only
 *              (on fsdax a write-protect upgrade, pfn_mkwrite, for each
 *              4 KiB page); FAULTS_FIRST counts both
 *   -R ROUNDS  map, touch and unmap ROUNDS times, at the same address: a
 *              line per offset per round (not with -S, -v or -F)
 *   -F CHILDPATH  once mapped, fork a child that maps CHILDPATH (same
 *              size, mode and file offset) at the very same address over
 *              the mapping it inherited, waits -P SECONDS, touches the
 *              same offsets and exits; its lines begin "child ". The
 *              parent waits for it, then does its own touches
 * An OFFSET of "smaps" prints that smaps line there, between touches.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define PMD (2UL << 20)

/* minor and major: a DAX write fault that zeroes new or unwritten
 * blocks counts as major */
static long faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

/* a size: a number (0x... too) with an optional K, M or G */
static unsigned long long size_arg(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': n <<= 10; end++; break;
	case 'm': case 'M': n <<= 20; end++; break;
	case 'g': case 'G': n <<= 30; end++; break;
	}
	if (end == s || *end) {
		fprintf(stderr, "dtprobe: bad size '%s'\n", s);
		exit(2);
	}
	return n;
}

/* -b: a touch that raises SIGBUS or SIGSEGV comes back here */
static sigjmp_buf touch_env;
static volatile sig_atomic_t touch_sig, touch_code;

static void on_fault_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	touch_sig = sig;
	touch_code = si->si_code;
	siglongjmp(touch_env, 1);
}

/* read or write the byte at p (with -T the 8-byte tag, writing tag);
 * with -b, the signal it raised, else 0 */
static int catching, tagging, mkwrite;

static int touch(volatile char *p, int write_, uint64_t tag)
{
	if (catching && sigsetjmp(touch_env, 1))
		return touch_sig;
	if (mkwrite && write_)
		(void)*p;
	if (tagging && write_)
		*(volatile uint64_t *)p = tag;
	else if (tagging)
		(void)*(volatile uint64_t *)p;
	else if (write_)
		*p = (char)0x5a;
	else
		(void)*p;
	return 0;
}

static const char *sig_code_name(int sig, int code)
{
	if (sig == SIGBUS)
		switch (code) {
		case BUS_ADRALN: return "BUS_ADRALN";
		case BUS_ADRERR: return "BUS_ADRERR";
		case BUS_OBJERR: return "BUS_OBJERR";
#ifdef BUS_MCEERR_AR
		case BUS_MCEERR_AR: return "BUS_MCEERR_AR";
#endif
		}
	if (sig == SIGSEGV)
		switch (code) {
		case SEGV_MAPERR: return "SEGV_MAPERR";
		case SEGV_ACCERR: return "SEGV_ACCERR";
		}
	return "code?";
}

/* -v: the KernelPageSize and MMUPageSize lines of the mapping at addr */
static void print_smaps(uintptr_t addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo, hi, kps = 0, mps = 0, rss = 0;
	int in = 0;

	if (!f) {
		printf("smaps ? ? ?\n");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		/* a mapping's header: "LO-HI PERMS ..." */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    line[strspn(line, "0123456789abcdef")] == '-') {
			in = lo <= addr && addr < hi;
			continue;
		}
		if (in) {
			sscanf(line, "KernelPageSize: %lu kB", &kps);
			sscanf(line, "MMUPageSize: %lu kB", &mps);
			sscanf(line, "Rss: %lu kB", &rss);
		}
	}
	fclose(f);
	printf("smaps KernelPageSize %lu MMUPageSize %lu Rss %lu\n", kps, mps, rss);
}

static uint64_t phys_of(int pm, const volatile char *va)
{
	uint64_t e = 0, page = (uintptr_t)va / 4096;

	if (pm < 0 || pread(pm, &e, 8, (off_t)(page * 8)) != 8)
		return 0;
	if (!(e & (1ULL << 63)))
		return 0;			/* not present */
	e &= (1ULL << 55) - 1;			/* the PFN */
	return e * 4096 + ((uintptr_t)va & 4095);
}

/* the touches at each OFFSET of the mapping, a line each (PREFIX
 * first): 0, or 3 if one raised a signal, 1 on a bad offset */
static int write_, once, nopagemap;
static unsigned long long fileoff;

static int touches(char *map, unsigned long long size, int pm, int argc,
		   char **argv, const char *prefix)
{
	int rc = 0;

	for (int i = optind + 1; i < argc; i++) {
		unsigned long long off = strtoull(argv[i], NULL, 0);
		volatile char *p = map + off;
		char phys[24] = "-", tag[24] = "";
		long f0, f1, f2;
		int sig;

		if (!strcmp(argv[i], "smaps")) {
			printf("%s", prefix);
			print_smaps((uintptr_t)map);
			continue;
		}
		if (off >= size) {
			fprintf(stderr, "dtprobe: offset %llu past the end\n", off);
			return 1;
		}
		if (tagging && (off % 8 || off + 8 > size)) {
			fprintf(stderr, "dtprobe: -T: offset %llu not a multiple of 8\n", off);
			return 2;
		}
		f0 = faults();
		sig = touch(p, write_, fileoff + off);
		f1 = faults();
		if (!sig && !once && off + 4096 < size &&
		    (off & ~(PMD - 1)) == ((off + 4096) & ~(PMD - 1))) {
			sig = touch(p + 4096, write_, fileoff + off + 4096);
			if (sig)
				sig = -sig;
		}
		f2 = faults();
		if (sig) {
			printf("%s%llu %s %s %s\n", prefix, off,
			       abs(sig) == SIGBUS ? "SIGBUS" : "SIGSEGV",
			       sig_code_name(abs(sig), touch_code),
			       sig > 0 ? "first" : "second");
			rc = 3;
		} else {
			if (tagging)
				snprintf(tag, sizeof(tag), " %" PRIu64,
					 *(volatile uint64_t *)p);
			if (!nopagemap)
				snprintf(phys, sizeof(phys), "%" PRIu64, phys_of(pm, p));
			if (once)
				printf("%s%llu %s %ld -%s\n", prefix, off, phys, f1 - f0, tag);
			else
				printf("%s%llu %s %ld %ld%s\n", prefix, off, phys, f1 - f0,
				       f2 - f1, tag);
		}
	}
	return rc;
}

/* -P: "ready PID", then wait */
static void pause_for(double pause_s, const char *prefix)
{
	struct timespec ts = { (time_t)pause_s,
		(long)((pause_s - (time_t)pause_s) * 1e9) };

	if (pause_s <= 0)
		return;
	printf("%sready %d\n", prefix, (int)getpid());
	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	int opt, fd, pm, catch = 0, verbose = 0, rc = 0, do_msync = 0;
	unsigned long rounds = 1;
	const char *child_path = NULL;
	double pause_s = 0;
	unsigned long long size = 0, align = PMD, delta = 0;
	struct stat st;
	char *base, *map;

	while ((opt = getopt(argc, argv, "ws:a:d:o:1nbvTSP:mR:F:")) != -1) {
		if (opt == 'w')
			write_ = 1;
		else if (opt == 's')
			size = size_arg(optarg);
		else if (opt == 'a')
			align = size_arg(optarg);
		else if (opt == 'd')
			delta = size_arg(optarg);
		else if (opt == 'o')
			fileoff = size_arg(optarg);
		else if (opt == '1')
			once = 1;
		else if (opt == 'n')
			nopagemap = 1;
		else if (opt == 'b')
			catch = 1;
		else if (opt == 'v')
			verbose = 1;
		else if (opt == 'T')
			tagging = 1;
		else if (opt == 'S')
			do_msync = 1;
		else if (opt == 'P')
			pause_s = atof(optarg);
		else if (opt == 'm')
			mkwrite = 1;
		else if (opt == 'R')
			rounds = strtoul(optarg, NULL, 0);
		else if (opt == 'F')
			child_path = optarg;
		else
			return 2;
	}
	if (optind + 1 >= argc) {
		fprintf(stderr, "usage: dtprobe [-w] [-s SIZE] [-a ALIGN] [-d DELTA] "
			"[-o FILEOFF] [-1] [-n] [-b] [-v] [-T] [-S] [-P SECONDS] [-m] "
			"[-R ROUNDS] [-F CHILDPATH] PATH OFFSET...\n");
		return 2;
	}
	if (!rounds || (rounds > 1 && (do_msync || verbose || child_path))) {
		fprintf(stderr, "dtprobe: -R: at least 1, and not with -S, -v or -F\n");
		return 2;
	}
	if (align & (align - 1)) {
		fprintf(stderr, "dtprobe: -a %llu: not a power of two\n", align);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(argv[optind], write_ ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[optind]);
		return 1;
	}
	if (!size)
		size = (unsigned long long)st.st_size;
	if (!size) {
		fprintf(stderr, "dtprobe: give -s SIZE for a device\n");
		return 2;
	}
	if (align) {
		/* reserve, then map at the first ALIGN boundary inside
		 * (+ DELTA) */
		base = mmap(NULL, size + align + delta, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		map = (char *)((((uintptr_t)base + align - 1) & ~(align - 1)) + delta);
	} else {
		map = NULL;
	}
	base = map;
	map = mmap(map, size, PROT_READ | (write_ ? PROT_WRITE : 0),
		   MAP_SHARED | (align ? MAP_FIXED : 0), fd, (off_t)fileoff);
	if (map == MAP_FAILED) {
		int e = errno;
		const char *name = strerrorname_np(e);

		fprintf(stderr, "dtprobe: mmap(%p, %llu, MAP_SHARED%s, %s, %llu): %s (%s)\n",
			(void *)base, size, align ? "|MAP_FIXED" : "", argv[optind],
			fileoff, strerror(e), name ? name : "?");
		if (verbose)
			printf("mmap-failed %d %s\n", e, name ? name : "?");
		return 1;
	}
	if (verbose)
		printf("map %#lx %llu %llu\n", (unsigned long)(uintptr_t)map, size, fileoff);
	if (catch) {
		struct sigaction sa;

		catching = 1;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_fault_signal;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, NULL);
		sigaction(SIGSEGV, &sa, NULL);
	}
	pm = nopagemap ? -1 : open("/proc/self/pagemap", O_RDONLY);
	if (child_path) {
		int cfd = open(child_path, write_ ? O_RDWR : O_RDONLY);
		pid_t pid;
		int status;

		if (cfd < 0) {
			perror(child_path);
			return 1;
		}
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			if (mmap(map, size, PROT_READ | (write_ ? PROT_WRITE : 0),
				 MAP_SHARED | MAP_FIXED, cfd, (off_t)fileoff) != map) {
				perror("child: mmap");
				_exit(1);
			}
			if (verbose)
				printf("child map %#lx %llu %llu\n",
				       (unsigned long)(uintptr_t)map, size, fileoff);
			pause_for(pause_s, "child ");
			_exit(touches(map, size, pm, argc, argv, "child "));
		}
		close(cfd);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "dtprobe: the child failed\n");
			return 1;
		}
	}
	for (unsigned long r = 0; r < rounds; r++) {
		if (r && mmap(map, size, PROT_READ | (write_ ? PROT_WRITE : 0),
			      MAP_SHARED | MAP_FIXED, fd, (off_t)fileoff) != map) {
			perror("mmap");
			return 1;
		}
		if (!r)
			pause_for(pause_s, "");
		rc |= touches(map, size, pm, argc, argv, "");
		if (rounds > 1)
			munmap(map, size);
	}
	if (do_msync) {
		if (msync(map, size, MS_SYNC)) {
			const char *name = strerrorname_np(errno);

			printf("msync %d %s\n", errno, name ? name : "?");
			rc = 1;
		} else {
			printf("msync 0\n");
		}
	}
	if (verbose)
		print_smaps((uintptr_t)map);
	return rc;
}
