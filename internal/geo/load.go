package geo

import (
	"cmp"
	"compress/gzip"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/courtier-crm/courtier/internal/textsearch"
)

//go:embed data/*.csv.gz
var files embed.FS

// index holds the parsed reference data; it is never modified once built.
type index struct {
	communes         []Commune
	communeByCode    map[string]int
	byPostalCode     map[string][]int
	departments      []Department
	departmentByCode map[string]int
	regions          []Region
	regionByCode     map[string]int
	search           []searchEntry // by population desc, then code
}

// searchEntry is a commune's folded name, with a trailing space so that a
// query ending with a separator only matches whole words.
type searchEntry struct {
	key string
	i   int
}

// data panics because the CSV files are compiled into the binary: a parse
// error is a build defect caught by the tests, not a runtime condition.
var data = sync.OnceValue(func() *index {
	ix, err := load()
	if err != nil {
		panic(err)
	}
	return ix
})

func (ix *index) pick(idx []int) []Commune {
	if len(idx) == 0 {
		return nil
	}
	out := make([]Commune, len(idx))
	for k, i := range idx {
		out[k] = ix.communes[i]
	}
	return out
}

func load() (*index, error) {
	ix := &index{}
	var err error
	if ix.regions, err = loadRegions(); err != nil {
		return nil, err
	}
	ix.regionByCode = make(map[string]int, len(ix.regions))
	for i, r := range ix.regions {
		ix.regionByCode[r.Code] = i
	}
	if ix.departments, err = loadDepartments(); err != nil {
		return nil, err
	}
	ix.departmentByCode = make(map[string]int, len(ix.departments))
	for i, d := range ix.departments {
		ix.departmentByCode[d.Code] = i
	}
	if ix.communes, err = loadCommunes(ix); err != nil {
		return nil, err
	}
	ix.communeByCode = make(map[string]int, len(ix.communes))
	for i, c := range ix.communes {
		ix.communeByCode[c.Code] = i
	}
	if ix.byPostalCode, err = loadPostalCodes(ix); err != nil {
		return nil, err
	}
	ix.search = make([]searchEntry, len(ix.communes))
	for i, c := range ix.communes {
		ix.search[i] = searchEntry{key: textsearch.Fold(c.Name) + " ", i: i}
	}
	slices.SortFunc(ix.search, func(a, b searchEntry) int {
		return cmp.Or(cmp.Compare(ix.communes[b.i].Population, ix.communes[a.i].Population), cmp.Compare(a.i, b.i))
	})
	return ix, nil
}

// readCSV decompresses and parses an embedded file, calling fn for each row
// after the header. The header is checked so that a column reordering
// upstream fails loudly instead of shifting fields.
func readCSV(name string, fn func(rec []string) error, header ...string) error {
	f, err := files.Open("data/" + name + ".gz")
	if err != nil {
		return fmt.Errorf("geo: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("geo: %s: %w", name, err)
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = len(header)
	// Safe: the reader backs each record's fields with a fresh string.
	r.ReuseRecord = true
	got, err := r.Read()
	if err != nil {
		return fmt.Errorf("geo: %s: %w", name, err)
	}
	if !slices.Equal(got, header) {
		return fmt.Errorf("geo: %s: header %q, want %q", name, got, header)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("geo: %s: %w", name, err)
		}
		if err := fn(rec); err != nil {
			return fmt.Errorf("geo: %s: %s: %w", name, rec[0], err)
		}
	}
}

func loadRegions() ([]Region, error) {
	var out []Region
	err := readCSV("regions.csv", func(r []string) error {
		out = append(out, Region{Code: r[0], Name: r[1], Zone: r[3]})
		return nil
	}, "code_region", "nom", "chef_lieu_insee", "zone")
	slices.SortFunc(out, func(a, b Region) int { return strings.Compare(a.Code, b.Code) })
	return out, err
}

func loadDepartments() ([]Department, error) {
	var out []Department
	err := readCSV("departements.csv", func(r []string) error {
		d := Department{Code: r[0], Name: r[1], Region: r[2], RegionName: r[3], Zone: r[5]}
		if _, err := parseLatLon(r[6], r[7], &d.Lat, &d.Lon); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	}, "code_departement", "nom", "code_region", "nom_region", "chef_lieu_insee", "zone",
		"latitude_centre", "longitude_centre")
	slices.SortFunc(out, func(a, b Department) int { return strings.Compare(a.Code, b.Code) })
	return out, err
}

func loadCommunes(ix *index) ([]Commune, error) {
	out := make([]Commune, 0, 35100)
	err := readCSV("communes.csv", func(r []string) error {
		c := Commune{Code: r[0], Name: r[1], Type: r[2], Department: r[3], Region: r[4]}
		if r[5] != "" {
			cps := strings.Split(r[5], "|")
			c.PostalCodes = cps[:len(cps):len(cps)]
		}
		if r[6] != "" {
			var err error
			if c.Population, err = strconv.Atoi(r[6]); err != nil {
				return fmt.Errorf("population: %w", err)
			}
		}
		d, ok := ix.departmentByCode[c.Department]
		if !ok {
			return fmt.Errorf("unknown department %q", c.Department)
		}
		has, err := parseLatLon(r[7], r[8], &c.Lat, &c.Lon)
		if err != nil {
			return err
		}
		c.HasCoordinates = has
		if !has {
			c.Lat, c.Lon = ix.departments[d].Lat, ix.departments[d].Lon
		}
		out = append(out, c)
		return nil
	}, "code_insee", "nom", "type", "code_departement", "code_region", "codes_postaux",
		"population", "latitude", "longitude")
	slices.SortFunc(out, func(a, b Commune) int { return strings.Compare(a.Code, b.Code) })
	return out, err
}

func loadPostalCodes(ix *index) (map[string][]int, error) {
	out := make(map[string][]int, 6400)
	err := readCSV("codes_postaux.csv", func(r []string) error {
		i, ok := ix.communeByCode[r[1]]
		if !ok {
			return fmt.Errorf("unknown commune %q", r[1])
		}
		out[r[0]] = append(out[r[0]], i)
		return nil
	}, "code_postal", "code_insee", "nom_commune", "code_departement")
	for _, idx := range out {
		slices.Sort(idx)
	}
	return out, err
}

// parseLatLon parses a pair of optional coordinates, reporting whether both
// were present; empty fields leave lat and lon unchanged.
func parseLatLon(latS, lonS string, lat, lon *float64) (bool, error) {
	if latS == "" || lonS == "" {
		return false, nil
	}
	var err error
	if *lat, err = strconv.ParseFloat(latS, 64); err != nil {
		return false, fmt.Errorf("latitude: %w", err)
	}
	if *lon, err = strconv.ParseFloat(lonS, 64); err != nil {
		return false, fmt.Errorf("longitude: %w", err)
	}
	return true, nil
}
