/* Tests of the markdown module: to be written with it. */
#include <stdio.h>

int main(void)
{
    printf("markdown: 0 passed, 0 failed\n");
    return 0;
}
