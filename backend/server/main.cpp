#include "server/backend.h"

#include <iostream>

int main(int argc, char **argv)
{
    return sigess::server::backendMain(std::vector<std::string>(argv + 1, argv + argc), std::cerr);
}
