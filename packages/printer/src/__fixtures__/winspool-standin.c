/*
 * A stand-in for winspool.drv (and kernel32's GetLastError), built on Linux by
 * winspool-koffi.test.ts so the real koffi binding runs its calls for real: UTF-16 strings in,
 * a handle out, a DOC_INFO_1W struct, partial writes, the two-call buffer sizing of GetPrinterW,
 * EnumJobsW and EnumPrintersW, and the error code read back through GetLastError. It copies the
 * functions' documented signatures and behaviour; it is not Windows.
 */
#include <stdint.h>
#include <string.h>
#include <uchar.h>

typedef uint16_t WCHAR;
typedef int BOOL;
typedef uint32_t DWORD;

typedef struct { WCHAR *pDocName; WCHAR *pOutputFile; WCHAR *pDatatype; } DOC_INFO_1W;
typedef struct { uint16_t wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds; } SYSTEMTIME;
typedef struct {
    WCHAR *pServerName, *pPrinterName, *pShareName, *pPortName, *pDriverName, *pComment, *pLocation;
    void *pDevMode;
    WCHAR *pSepFile, *pPrintProcessor, *pDatatype, *pParameters;
    void *pSecurityDescriptor;
    DWORD Attributes, Priority, DefaultPriority, StartTime, UntilTime, Status, cJobs, AveragePPM;
} PRINTER_INFO_2W;
typedef struct {
    DWORD JobId;
    WCHAR *pPrinterName, *pMachineName, *pUserName, *pDocument, *pDatatype, *pStatus;
    DWORD Status, Priority, Position, TotalPages, PagesPrinted;
    SYSTEMTIME Submitted;
} JOB_INFO_1W;

#define HANDLE_VALUE ((void *)0x5150)
#define ERROR_INVALID_HANDLE 6
#define ERROR_INVALID_PARAMETER 87
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_INVALID_LEVEL 124
#define ERROR_INVALID_PRINTER_NAME 1801
#define MAX_JOBS 8

static DWORD last_error;
static WCHAR printer_name[128];
static DWORD printer_status, printer_attributes, write_chunk;
static char fail_name[64];
static DWORD fail_code;
static int open_handles, doc_open;
static uint8_t spool[1 << 20];
static DWORD spool_len;
static WCHAR doc_name[128], doc_datatype[32];
static char calls[4096];
static struct { DWORD id, status; WCHAR doc[64]; SYSTEMTIME submitted; } jobs[MAX_JOBS];
static int njobs;

static const WCHAR *PORT = (const WCHAR *)u"USB001";
static const WCHAR *DRIVER = (const WCHAR *)u"EPSON TM-T82III Receipt";

static size_t wlen(const WCHAR *s) { size_t n = 0; if (s) while (s[n]) n++; return n; }
static void wcopy(WCHAR *dst, const WCHAR *src, size_t cap) {
    size_t n = wlen(src);
    if (n >= cap) n = cap - 1;
    if (n) memcpy(dst, src, n * 2);
    dst[n] = 0;
}
static WCHAR *wput(WCHAR *at, const WCHAR *s) { size_t n = wlen(s); memcpy(at, s, (n + 1) * 2); return at + n + 1; }
static BOOL fail(DWORD code) { last_error = code; return 0; }
/* Records the call; true when the test scripted it to fail (once). */
static int scripted(const char *name) {
    if (calls[0]) strncat(calls, ",", sizeof(calls) - strlen(calls) - 1);
    strncat(calls, name, sizeof(calls) - strlen(calls) - 1);
    if (strcmp(fail_name, name) != 0) return 0;
    fail_name[0] = 0;
    last_error = fail_code;
    return 1;
}

/* The test's controls. */
void standin_reset(const WCHAR *name, DWORD status, DWORD attributes, DWORD chunk) {
    wcopy(printer_name, name, 128);
    printer_status = status;
    printer_attributes = attributes;
    write_chunk = chunk;
    fail_name[0] = 0;
    calls[0] = 0;
    open_handles = doc_open = njobs = 0;
    spool_len = 0;
    doc_name[0] = doc_datatype[0] = 0;
    last_error = 0;
}
void standin_fail(const char *name, DWORD code) { strncpy(fail_name, name, sizeof(fail_name) - 1); fail_code = code; }
void standin_add_job(DWORD id, const WCHAR *doc, DWORD status, uint16_t year, uint16_t month, uint16_t day, uint16_t hour, uint16_t minute, uint16_t second) {
    if (njobs == MAX_JOBS) return;
    jobs[njobs].id = id;
    jobs[njobs].status = status;
    wcopy(jobs[njobs].doc, doc, 64);
    SYSTEMTIME t = { year, month, 0, day, hour, minute, second, 0 };
    jobs[njobs].submitted = t;
    njobs++;
}
DWORD standin_spooled(uint8_t *out, DWORD cap) { DWORD n = spool_len < cap ? spool_len : cap; memcpy(out, spool, n); return spool_len; }
const char *standin_calls(void) { return calls; }
const WCHAR *standin_doc_name(void) { return doc_name; }
const WCHAR *standin_datatype(void) { return doc_datatype; }
int standin_open_handles(void) { return open_handles; }

/* kernel32 */
DWORD GetLastError(void) { return last_error; }

/* winspool.drv */
BOOL OpenPrinterW(WCHAR *name, void **handle, void *defaults) {
    (void)defaults;
    if (scripted("OpenPrinterW")) return 0;
    if (wlen(name) != wlen(printer_name) || memcmp(name, printer_name, wlen(name) * 2) != 0) return fail(ERROR_INVALID_PRINTER_NAME);
    open_handles++;
    *handle = HANDLE_VALUE;
    return 1;
}
DWORD StartDocPrinterW(void *h, DWORD level, DOC_INFO_1W *doc) {
    if (scripted("StartDocPrinterW")) return 0;
    if (h != HANDLE_VALUE) return fail(ERROR_INVALID_HANDLE);
    if (level != 1) return fail(ERROR_INVALID_LEVEL);
    if (doc->pOutputFile) return fail(ERROR_INVALID_PARAMETER);
    wcopy(doc_name, doc->pDocName, 128);
    wcopy(doc_datatype, doc->pDatatype, 32);
    doc_open = 1;
    spool_len = 0;
    return 42;
}
BOOL StartPagePrinter(void *h) { if (scripted("StartPagePrinter")) return 0; return h == HANDLE_VALUE && doc_open ? 1 : fail(ERROR_INVALID_HANDLE); }
BOOL WritePrinter(void *h, void *buf, DWORD n, DWORD *written) {
    if (scripted("WritePrinter")) return 0;
    if (h != HANDLE_VALUE || !doc_open) return fail(ERROR_INVALID_HANDLE);
    DWORD take = n < write_chunk ? n : write_chunk;
    if (spool_len + take > sizeof(spool)) take = sizeof(spool) - spool_len;
    memcpy(spool + spool_len, buf, take);
    spool_len += take;
    *written = take;
    return 1;
}
BOOL EndPagePrinter(void *h) { if (scripted("EndPagePrinter")) return 0; return h == HANDLE_VALUE && doc_open ? 1 : fail(ERROR_INVALID_HANDLE); }
BOOL EndDocPrinter(void *h) {
    if (scripted("EndDocPrinter")) return 0;
    if (h != HANDLE_VALUE || !doc_open) return fail(ERROR_INVALID_HANDLE);
    doc_open = 0;
    return 1;
}
BOOL AbortPrinter(void *h) {
    if (scripted("AbortPrinter")) return 0;
    if (h != HANDLE_VALUE) return fail(ERROR_INVALID_HANDLE);
    doc_open = 0;
    spool_len = 0;
    return 1;
}
BOOL ClosePrinter(void *h) {
    if (scripted("ClosePrinter")) return 0;
    if (h != HANDLE_VALUE || open_handles == 0) return fail(ERROR_INVALID_HANDLE);
    open_handles--;
    return 1;
}

/* One PRINTER_INFO_2W at `at`, its strings at `strings`; returns the end of the strings. */
static WCHAR *fill_printer(PRINTER_INFO_2W *p, WCHAR *strings) {
    memset(p, 0, sizeof(*p));
    p->pPrinterName = strings;
    strings = wput(strings, printer_name);
    p->pPortName = strings;
    strings = wput(strings, PORT);
    p->pDriverName = strings;
    strings = wput(strings, DRIVER);
    p->Status = printer_status;
    p->Attributes = printer_attributes;
    p->cJobs = (DWORD)njobs;
    return strings;
}
static DWORD printer_size(void) { return (DWORD)(sizeof(PRINTER_INFO_2W) + (wlen(printer_name) + wlen(PORT) + wlen(DRIVER) + 3) * 2); }

BOOL GetPrinterW(void *h, DWORD level, uint8_t *buf, DWORD size, DWORD *needed) {
    if (scripted("GetPrinterW")) return 0;
    if (h != HANDLE_VALUE) return fail(ERROR_INVALID_HANDLE);
    if (level != 2) return fail(ERROR_INVALID_LEVEL);
    *needed = printer_size();
    if (!buf || size < *needed) return fail(ERROR_INSUFFICIENT_BUFFER);
    fill_printer((PRINTER_INFO_2W *)buf, (WCHAR *)(buf + sizeof(PRINTER_INFO_2W)));
    return 1;
}
BOOL EnumJobsW(void *h, DWORD first, DWORD count, DWORD level, uint8_t *buf, DWORD size, DWORD *needed, DWORD *returned) {
    if (scripted("EnumJobsW")) return 0;
    if (h != HANDLE_VALUE) return fail(ERROR_INVALID_HANDLE);
    if (level != 1) return fail(ERROR_INVALID_LEVEL);
    int from = (int)first, to = njobs;
    if (count < (DWORD)(to - from)) to = from + (int)count;
    DWORD total = 0;
    for (int i = from; i < to; i++) total += (DWORD)(sizeof(JOB_INFO_1W) + (wlen(jobs[i].doc) + 1) * 2);
    *needed = total;
    *returned = 0;
    if (total > size) return fail(ERROR_INSUFFICIENT_BUFFER);
    JOB_INFO_1W *out = (JOB_INFO_1W *)buf;
    WCHAR *strings = (WCHAR *)(buf + sizeof(JOB_INFO_1W) * (size_t)(to - from));
    for (int i = from; i < to; i++, out++) {
        memset(out, 0, sizeof(*out));
        out->JobId = jobs[i].id;
        out->Status = jobs[i].status;
        out->Submitted = jobs[i].submitted;
        out->pDocument = strings;
        strings = wput(strings, jobs[i].doc);
    }
    *returned = (DWORD)(to - from);
    return 1;
}
BOOL EnumPrintersW(DWORD flags, WCHAR *name, DWORD level, uint8_t *buf, DWORD size, DWORD *needed, DWORD *returned) {
    if (scripted("EnumPrintersW")) return 0;
    /* PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS, on this PC. */
    if (flags != 0x6 || name) return fail(ERROR_INVALID_PARAMETER);
    if (level != 2) return fail(ERROR_INVALID_LEVEL);
    *needed = printer_size();
    *returned = 0;
    if (!buf || size < *needed) return fail(ERROR_INSUFFICIENT_BUFFER);
    fill_printer((PRINTER_INFO_2W *)buf, (WCHAR *)(buf + sizeof(PRINTER_INFO_2W)));
    *returned = 1;
    return 1;
}
