//===- main.cpp - toyc's entry point --------------------------------------===//
#include "Driver.h"

int main(int argc, char **argv) {
  toy::Options opts;
  int code = 0;
  if (!toy::parseOptions(argc, argv, opts, code))
    return code;
  return toy::runDriver(opts);
}
