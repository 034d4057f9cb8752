#ifndef CXLSXWRITER_SHIM_H
#define CXLSXWRITER_SHIM_H
// libxlsxwriter (Debian libxlsxwriter-dev), for dataset.xlsx: constant-memory worksheets written
// row by row, then zipped into the .xlsx file by workbook_close().
#include <xlsxwriter.h>
#endif
