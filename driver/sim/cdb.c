// SPDX-License-Identifier: GPL-2.0
/*
 * optic_sim: CMIS Command Data Block (CDB) on page 9Fh.
 */
#include "sim.h"

void osim_cdb_run(struct osim_port *port)
{
}
