/* The legacy 8259 pair: only to be moved out of the way and masked. */
#ifndef SUBFLOOR_PIC_H
#define SUBFLOOR_PIC_H

void pic_disable(void);

#endif
