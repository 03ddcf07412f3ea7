import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir
from conan.tools.scm import Version

required_conan_version = ">=2.0.9"


class OdoolinkConan(ConanFile):
    name = "odoolink"
    description = "Embeddable C++20 SDK for exchanging data with the Odoo ERP"
    topics = ("odoo", "erp", "json-rpc", "xml-rpc", "sdk")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "with_curl": [True, False],
        "with_xmlrpc": [True, False],
        "with_sqlite": [True, False],
        "with_postgres": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "with_curl": True,
        "with_xmlrpc": True,
        "with_sqlite": True,
        "with_postgres": False,
        # Only Boost.Outcome is used, and it is header-only.
        "boost/*:header_only": True,
    }
    implements = ["auto_shared_fpic"]
    # The recipe lives in the project's repository: the sources are exported
    # with it instead of being downloaded.
    exports_sources = (
        "CMakeLists.txt",
        "cmake/*",
        "include/*",
        "src/*",
        "LICENSE*",
    )

    @property
    def _min_cppstd(self):
        return 20

    @property
    def _compilers_minimum_version(self):
        return {
            "gcc": "11",
            "clang": "14",
            "apple-clang": "14",
            "msvc": "193",
        }

    def set_version(self):
        # The version lives only in project(VERSION) of CMakeLists.txt.
        if self.version:
            return
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        match = re.search(r"project\(\s*odoolink\s+VERSION\s+([0-9.]+)", text)
        self.version = match.group(1)

    def layout(self):
        cmake_layout(self, src_folder=".")

    def requirements(self):
        # simdjson and Boost.Outcome appear in the public headers.
        self.requires("simdjson/3.10.1", transitive_headers=True)
        self.requires("boost/1.86.0", transitive_headers=True)
        # libcrypto always (contract fingerprints); libssl for the transport.
        self.requires("openssl/[>=1.1 <4]")
        if self.options.with_curl:
            self.requires("libcurl/[>=7.78.0 <9]")
        if self.options.with_xmlrpc:
            self.requires("expat/[>=2.6.2 <3]")
        if self.options.with_sqlite:
            self.requires("sqlite3/[>=3.35 <4]")
        if self.options.with_postgres:
            self.requires("libpq/[>=15 <18]")

    def validate(self):
        check_min_cppstd(self, self._min_cppstd)
        minimum_version = self._compilers_minimum_version.get(str(self.settings.compiler))
        if minimum_version and Version(self.settings.compiler.version) < minimum_version:
            raise ConanInvalidConfiguration(
                f"{self.ref} requires C++{self._min_cppstd}, which your compiler does not support."
            )
        if self.options.shared and self.settings.os == "Windows":
            # Its exports are declared with a GCC/Clang visibility attribute
            # on the API namespace; there is no dllexport equivalent.
            raise ConanInvalidConfiguration(f"{self.ref} shared is not supported on Windows")

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["ODOOLINK_INSTALL"] = True
        tc.cache_variables["ODOOLINK_BUILD_TESTS"] = False
        tc.cache_variables["ODOOLINK_BUILD_EXAMPLES"] = False
        tc.cache_variables["ODOOLINK_BUILD_BENCHMARKS"] = False
        tc.cache_variables["ODOOLINK_BUILD_CLI"] = False
        tc.cache_variables["ODOOLINK_BUILD_FUZZERS"] = False
        tc.cache_variables["ODOOLINK_WITH_CURL"] = bool(self.options.with_curl)
        tc.cache_variables["ODOOLINK_WITH_XMLRPC"] = bool(self.options.with_xmlrpc)
        tc.cache_variables["ODOOLINK_WITH_SQLITE"] = bool(self.options.with_sqlite)
        tc.cache_variables["ODOOLINK_WITH_POSTGRES"] = bool(self.options.with_postgres)
        tc.generate()
        deps = CMakeDeps(self)
        deps.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE*", src=self.source_folder, dst=os.path.join(self.package_folder, "licenses"))
        cmake = CMake(self)
        cmake.install()
        # Conan generates its own CMake config and pkg-config files.
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))
        rmdir(self, os.path.join(self.package_folder, "share"))

    def _use(self, component, requirement, platform_libs):
        """Makes `component` use `requirement` (a dependency's component). A
        dependency the profile takes from the platform ([platform_requires])
        is no package and describes nothing, so its libraries are named here
        and linked from the system's library path."""
        if requirement.split("::")[0] in self.dependencies:
            component.requires.append(requirement)
        else:
            component.system_libs.extend(platform_libs)

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "odoolink")
        self.cpp_info.set_property("cmake_target_name", "odoolink::odoolink")

        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "odoolink::odoolink")
        core.set_property("pkg_config_name", "odoolink")
        core.libs = ["odoolink"]
        # In link order: libcurl before libssl before libcrypto.
        self._use(core, "simdjson::simdjson", ["simdjson"])
        self._use(core, "boost::headers", [])
        if self.options.with_curl:
            self._use(core, "libcurl::libcurl", ["curl"])
            self._use(core, "openssl::ssl", ["ssl"])
            core.defines.append("ODOOLINK_HAS_CURL=1")
        self._use(core, "openssl::crypto", ["crypto"])
        if self.options.with_xmlrpc:
            self._use(core, "expat::expat", ["expat"])
            core.defines.append("ODOOLINK_HAS_XMLRPC=1")
        if self.options.with_sqlite:
            self._use(core, "sqlite3::sqlite3", ["sqlite3"])
            core.defines.append("ODOOLINK_HAS_SQLITE=1")
        if self.options.with_postgres:
            self._use(core, "libpq::pq", ["pq"])
            core.defines.append("ODOOLINK_HAS_POSTGRES=1")

        # Fakes for host applications' tests (odoolink::testing); its
        # loopback listener serves from a thread of its own.
        testing = self.cpp_info.components["testing"]
        testing.set_property("cmake_target_name", "odoolink::testing")
        testing.set_property("pkg_config_name", "odoolink-testing")
        testing.libs = ["odoolink_testing"]
        testing.requires = ["core"]
        if self.settings.os in ["Linux", "FreeBSD"]:
            testing.system_libs = ["pthread"]
