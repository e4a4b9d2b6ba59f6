fn main() {
    std::process::exit(sipdoctor::cli::main());
}
